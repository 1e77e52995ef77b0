// -Dsluice.scan.skip=true turns the goal off: the leak is not reported and no report is written.
def log = new File(basedir, 'build.log').text
assert log.contains('sluice scan skipped (sluice.scan.skip)')
assert !new File(basedir, 'target/sluice-scan.sarif').exists()
return true
