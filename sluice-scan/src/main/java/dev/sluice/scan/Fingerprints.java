package dev.sluice.scan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fingerprints that survive unrelated edits: they hash the rule, the file, the enclosing member,
 * the text of the flagged call and its ordinal among identical calls there, never a line number.
 * Code scanning and {@code --baseline} match findings across commits by them.
 */
final class Fingerprints {
    private Fingerprints() {
    }

    static String of(String rule, String path, String member, String text, int ordinal) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest((rule + '\n' + path + '\n' + member + '\n' + text + '\n' + ordinal).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                hex.append(Character.forDigit((hash[i] >> 4) & 0xf, 16)).append(Character.forDigit(hash[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", impossible);
        }
    }
}
