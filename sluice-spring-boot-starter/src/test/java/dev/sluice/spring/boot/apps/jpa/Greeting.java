package dev.sluice.spring.boot.apps.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one entity of the JPA test application; its table name is unlikely to meet another test's. */
@Entity
@Table(name = "sluice_starter_greeting")
public class Greeting {
    @Id
    @GeneratedValue
    private Long id;

    private String text;

    protected Greeting() {
    }

    public Greeting(String text) {
        this.text = text;
    }

    public Long getId() {
        return id;
    }

    public String getText() {
        return text;
    }
}
