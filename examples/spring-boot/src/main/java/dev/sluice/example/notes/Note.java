package dev.sluice.example.notes;

import java.time.OffsetDateTime;

/** A stored note. */
public record Note(long id, String text, OffsetDateTime createdAt) {
}
