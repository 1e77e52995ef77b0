// The build failed (invoker.properties) for the right reason, and the report was written first.
def log = new File(basedir, 'build.log').text
assert log.contains('sluice scan: 1 finding at or above error:')
assert log =~ /src\/main\/java\/com\/example\/OrderDao\.java:17:\d+: error: SLC004/
def sarif = new File(basedir, 'target/sluice-scan.sarif')
assert sarif.isFile()
def text = sarif.text
assert text.contains('"version": "2.1.0"')
assert text.contains('"ruleId": "SLC004"')
assert text.contains('"uri": "src/main/java/com/example/OrderDao.java"')
return true
