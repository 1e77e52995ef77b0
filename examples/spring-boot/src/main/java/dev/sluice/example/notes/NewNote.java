package dev.sluice.example.notes;

/** The body of a request to create a note. */
public record NewNote(String text) {
}
