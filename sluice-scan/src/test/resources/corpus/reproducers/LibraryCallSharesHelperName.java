package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class LibraryCallSharesHelperName {
    static final class Pair {
        // A helper of the sources that happens to share a name and arity with List.of.
        static List<Object> of(Object a, Object b) {
            return new ArrayList<>();
        }
    }

    List<Connection> hold(DataSource ds) throws SQLException {
        return List.of(ds.getConnection(), ds.getConnection());
    }
}
