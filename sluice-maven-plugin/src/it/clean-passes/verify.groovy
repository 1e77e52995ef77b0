// The build passed (the default expectation) and still left a report, with no results in it.
def log = new File(basedir, 'build.log').text
assert log.contains('sluice scan: 0 findings in 1 files')
def sarif = new File(basedir, 'target/sluice-scan.sarif')
assert sarif.isFile()
assert sarif.text.contains('"results": []')
return true
