// The h2 jar from the compile class path made JdbcConnection a Connection: the field is reported.
def log = new File(basedir, 'build.log').text
assert log.contains('sluice scan: 1 finding at or above warning:')
assert log =~ /src\/main\/java\/com\/example\/SessionCache\.java:6:\d+: warning: SLC009/
assert new File(basedir, 'target/sluice-scan.sarif').text.contains('"ruleId": "SLC009"')
return true
