package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ReassignedAfterPlainClose {
    // The first statement is closed only when execute succeeds; the second in finally.
    void twice(Connection c) throws SQLException {
        Statement st = c.createStatement(); // expect: SLC006
        st.execute("delete from tmp_a");
        st.close();
        st = c.createStatement();
        try {
            st.execute("delete from tmp_b");
        } finally {
            st.close();
        }
    }
}
