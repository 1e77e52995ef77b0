package dev.sluice.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.sluice.SluiceDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The real application on a random port against the local PostgreSQL, exercised over HTTP the way
 * a client and a monitoring system would: the notes API, then the actuator's health and metrics.
 */
@ExtendWith(RequirePostgres.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class NotesApplicationTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePoolIsSluiceConfiguredFromApplicationProperties() {
        assertThat(dataSource).isInstanceOf(SluiceDataSource.class);
        SluiceDataSource sluice = (SluiceDataSource) dataSource;
        assertThat(sluice.poolName()).isEqualTo("notes");
        assertThat(sluice.config().maximumPoolSize()).isEqualTo(10);
        assertThat(sluice.config().connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void notesAreCreatedListedAndFetchedOverHttp() throws Exception {
        String text = "remember " + UUID.randomUUID();
        HttpResponse<String> created = post("/notes", "{\"text\":\"" + text + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        DocumentContext note = JsonPath.parse(created.body());
        long id = ((Number) note.read("$.id")).longValue();
        assertThat((String) note.read("$.text")).isEqualTo(text);
        assertThat(created.headers().firstValue("Location")).contains("/notes/" + id);

        HttpResponse<String> fetched = get("/notes/" + id);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(fetched.body(), "$.text")).isEqualTo(text);
        assertThat((String) JsonPath.read(fetched.body(), "$.createdAt")).isNotBlank();

        HttpResponse<String> listed = get("/notes");
        assertThat(listed.statusCode()).isEqualTo(200);
        List<String> texts = JsonPath.read(listed.body(), "$[*].text");
        assertThat(texts).contains(text);

        assertThat(get("/notes/" + Long.MAX_VALUE).statusCode()).isEqualTo(404);
        assertThat(post("/notes", "{\"text\":\"  \"}").statusCode()).isEqualTo(400);
    }

    @Test
    void healthIsUpWithTheSluicePoolsDetails() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        DocumentContext h = JsonPath.parse(health.body());
        assertThat((String) h.read("$.status")).isEqualTo("UP");
        assertThat((String) h.read("$.components.sluice.status")).isEqualTo("UP");
        assertThat((String) h.read("$.components.sluice.details.pool")).isEqualTo("notes");
        assertThat((String) h.read("$.components.sluice.details.breaker")).isEqualTo("CLOSED");
        assertThat((Integer) h.read("$.components.sluice.details.maximumPoolSize")).isEqualTo(10);
        assertThat((String) h.read("$.components.db.status")).isEqualTo("UP");
        assertThat(health.body()).doesNotContain("jdbc:postgresql");
    }

    @Test
    void metricsShowTheOpenTelemetryMetersAndBootsJdbcConnections() throws Exception {
        get("/notes"); // at least one borrow, so the pool has served someone

        HttpResponse<String> count = get("/actuator/metrics/db.client.connection.count");
        assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
        DocumentContext c = JsonPath.parse(count.body());
        assertThat((String) c.read("$.name")).isEqualTo("db.client.connection.count");
        List<String> tags = c.read("$.availableTags[*].tag");
        assertThat(tags).contains("db.client.connection.pool.name", "db.client.connection.state");
        List<Number> total = c.read("$.measurements[?(@.statistic == 'VALUE')].value");
        assertThat(total.get(0).doubleValue()).as("open connections, idle and used").isGreaterThanOrEqualTo(2.0);

        HttpResponse<String> max = get("/actuator/metrics/jdbc.connections.max");
        assertThat(max.statusCode()).as(max.body()).isEqualTo(200);
        List<Number> value = JsonPath.read(max.body(), "$.measurements[?(@.statistic == 'VALUE')].value");
        assertThat(value.get(0).doubleValue()).isEqualTo(10.0);
    }
}
