package dev.sluice.spring.boot.apps.jpa;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface GreetingRepository extends JpaRepository<Greeting, Long> {
    List<Greeting> findByText(String text);
}
