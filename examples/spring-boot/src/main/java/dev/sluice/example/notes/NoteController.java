package dev.sluice.example.notes;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /notes}, {@code GET /notes/{id}}, {@code POST /notes}. */
@RestController
@RequestMapping("/notes")
public class NoteController {
    private static final int MAX_TEXT = 1000;

    private final NoteRepository notes;

    public NoteController(NoteRepository notes) {
        this.notes = notes;
    }

    @GetMapping
    public List<Note> list(@RequestParam(defaultValue = "50") int limit) {
        return notes.latest(Math.max(1, Math.min(limit, 500)));
    }

    @GetMapping("/{id}")
    public Note get(@PathVariable long id) {
        return notes.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no note " + id));
    }

    @PostMapping
    public ResponseEntity<Note> create(@RequestBody NewNote body) {
        if (body.text() == null || body.text().isBlank() || body.text().length() > MAX_TEXT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "text must be 1-" + MAX_TEXT + " characters");
        }
        Note note = notes.create(body.text());
        return ResponseEntity.created(URI.create("/notes/" + note.id())).body(note);
    }
}
