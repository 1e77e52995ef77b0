package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one URL redaction, used by the pool, the command line and the test kit. Each row is a rule
 * one of the former copies had (pool, CLI, ChaosDriver): their union holds.
 */
class JdbcUrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:postgresql://db/app?user=a&password=s3cret&ssl=true | jdbc:postgresql://db/app?user=a&password=<hidden>&ssl=true
            jdbc:postgresql://db/app?PASSWORD=s3cret                 | jdbc:postgresql://db/app?PASSWORD=<hidden>
            jdbc:mysql://db/app?pwd=s3cret&x=1                       | jdbc:mysql://db/app?pwd=<hidden>&x=1
            jdbc:mysql://db/app?passwd=s3cret                        | jdbc:mysql://db/app?passwd=<hidden>
            jdbc:postgresql://db/app?sslpassword=s3cret&sslmode=full | jdbc:postgresql://db/app?sslpassword=<hidden>&sslmode=full
            jdbc:x://db/app?secret=s3cret&token=t0ken                | jdbc:x://db/app?secret=<hidden>&token=<hidden>
            jdbc:x://db/app?sslkey=k3y&apikey=k3y                    | jdbc:x://db/app?sslkey=<hidden>&apikey=<hidden>
            jdbc:sqlserver://db;user=a;password=s3cret;encrypt=true  | jdbc:sqlserver://db;user=a;password=<hidden>;encrypt=true
            jdbc:h2:mem:x;PASSWORD=s3cret                            | jdbc:h2:mem:x;PASSWORD=<hidden>
            jdbc:x://db/app?password=s3?cret&y=1                     | jdbc:x://db/app?password=<hidden>&y=1
            jdbc:mariadb://bob:s3cret@db:3306/app                    | jdbc:mariadb://bob:<hidden>@db:3306/app
            jdbc:mariadb://bob:s3@cret@db:3306/app                   | jdbc:mariadb://bob:<hidden>@db:3306/app
            jdbc:postgresql://db:5432/app?user=bob                   | jdbc:postgresql://db:5432/app?user=bob
            """)
    void hidesEverySecretTheFormerCopiesHid(String url, String shown) {
        assertThat(JdbcUrls.redact(url)).isEqualTo(shown);
    }

    @Test
    void hidesSecretsOfAUrlQuotedInAMessage() {
        assertThat(JdbcUrls.redact("connect to jdbc:mariadb://bob:s3cret@db/app failed for bob@client"))
                .isEqualTo("connect to jdbc:mariadb://bob:<hidden>@db/app failed for bob@client");
    }

    @Test
    void nullStaysNull() {
        assertThat(JdbcUrls.redact(null)).isNull();
    }
}
