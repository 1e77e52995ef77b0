package dev.sluice.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for the console's login, so a configuration file holds a hash rather than the
 * password: PBKDF2 with HMAC-SHA256, a random 16-byte salt and a work factor, written as
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}.
 *
 * <pre>{@code
 * String stored = ConsolePassword.hash("correct horse".toCharArray());   // once, at set-up
 * SluiceConsole.builder().passwordHash(stored)...
 * }</pre>
 *
 * <p>Run {@code java dev.sluice.console.ConsolePassword} to read a password from the terminal and
 * print its hash.
 */
public final class ConsolePassword {
    /** The work factor of new hashes: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Fewer iterations than this make a stolen hash cheap to attack; such a hash is refused. */
    public static final int MIN_ITERATIONS = 10_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private ConsolePassword(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** A new hash of {@code password} with {@link #DEFAULT_ITERATIONS}; the caller may then clear the array. */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    /** A new hash with the given work factor (at least {@link #MIN_ITERATIONS}). */
    public static String hash(char[] password, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("iterations=" + iterations + " must be at least " + MIN_ITERATIONS);
        }
        if (password.length == 0) {
            throw new IllegalArgumentException("the console password must not be empty");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Parses a stored hash; the message names what is wrong with it, never echoing it. */
    static ConsolePassword parse(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("passwordHash must look like " + PREFIX
                    + "$<iterations>$<salt>$<hash> (make one with ConsolePassword.hash)");
        }
        int iterations;
        byte[] salt;
        byte[] hash;
        try {
            iterations = Integer.parseInt(parts[1]);
            salt = Base64.getDecoder().decode(parts[2]);
            hash = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("passwordHash has a malformed iteration count, salt or hash", e);
        }
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("passwordHash has iterations=" + iterations + ", must be at least " + MIN_ITERATIONS);
        }
        if (salt.length < 8 || hash.length != HASH_BITS / 8) {
            throw new IllegalArgumentException("passwordHash needs a salt of at least 8 bytes and a 32-byte hash");
        }
        return new ConsolePassword(iterations, salt, hash);
    }

    /** Whether {@code presented} is the password; the comparison takes the same time wherever they differ. */
    boolean matches(String presented) {
        char[] chars = presented.toCharArray();
        try {
            return MessageDigest.isEqual(hash, derive(chars, salt, iterations));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Reads a password from the console (not echoed) and prints its hash. */
    public static void main(String[] args) {
        java.io.Console terminal = System.console();
        if (terminal == null) {
            System.err.println("ConsolePassword: no terminal to read the password from (it is never taken as an argument)");
            System.exit(2);
            return;
        }
        char[] password = terminal.readPassword("Console password: ");
        try {
            System.out.println(hash(password));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public String toString() {
        return PREFIX + "(iterations=" + iterations + ")";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
