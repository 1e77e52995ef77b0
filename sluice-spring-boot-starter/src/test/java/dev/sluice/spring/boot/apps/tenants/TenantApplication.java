package dev.sluice.spring.boot.apps.tenants;

import dev.sluice.TenantResolver;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A JDBC application whose requests each belong to a tenant; its resolver reads the tenant the request set. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TenantApplication {

    @Bean
    TenantResolver tenantResolver() {
        return new RequestTenant();
    }

    /** The same application with the resolver forgotten. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class WithoutResolver {
    }
}
