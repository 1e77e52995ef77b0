package dev.sluice.spring.boot.apps.excluded;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity, so that JPA repositories would switch on if a data source appeared. */
@Entity
public class Reading {
    @Id
    private Long id;

    protected Reading() {
    }

    public Long getId() {
        return id;
    }
}
