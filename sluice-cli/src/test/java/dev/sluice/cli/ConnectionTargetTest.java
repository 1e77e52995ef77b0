package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionTargetTest {

    @Test
    void descriptionHidesPasswordsWrittenIntoTheUrl() {
        assertThat(ConnectionTarget.external("jdbc:postgresql://db/app?user=a&password=s3cret&ssl=true", null, null)
                .description()).isEqualTo("jdbc:postgresql://db/app?user=a&password=<hidden>&ssl=true");
        assertThat(ConnectionTarget.external("jdbc:mariadb://bob:s3cret@db:3306/app", null, null).description())
                .isEqualTo("jdbc:mariadb://bob:<hidden>@db:3306/app");
    }

    @Test
    void redactHidesThePasswordOptionAndJoinsLines() {
        ConnectionTarget target = ConnectionTarget.external("jdbc:h2:mem:x", "bob", "hunter22");

        assertThat(target.redact("login failed for bob/hunter22\n  at the server"))
                .isEqualTo("login failed for bob/<hidden> at the server");
    }
}
