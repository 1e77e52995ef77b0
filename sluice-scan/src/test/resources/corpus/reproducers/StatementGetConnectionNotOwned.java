package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class StatementGetConnectionNotOwned {
    // The connection of a statement belongs to whoever opened it: closing it here would be the bug.
    void log(Statement s) throws SQLException {
        Connection owner = s.getConnection();
        System.out.println(owner.getMetaData().getURL());
    }
}
