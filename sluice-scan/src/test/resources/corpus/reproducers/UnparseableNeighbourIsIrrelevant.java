package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UnparseableNeighbourIsIrrelevant {
    void run(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
        }
    }
}
