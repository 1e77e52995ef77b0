package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class TwrInsideLoop {
    // A statement per script line, each in its own try-with-resources inside the loop.
    void runScript(DataSource ds, List<String> lines) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (String line : lines) {
                try (Statement st = c.createStatement()) {
                    st.execute(line);
                }
            }
        }
    }
}
