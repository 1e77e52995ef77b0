package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class PrepareCallClosedAfterWork {
    // The close after execute is skipped when execute throws.
    void refresh(Connection c) throws SQLException {
        CallableStatement cs = c.prepareCall("{call refresh_totals()}"); // expect: SLC006
        cs.execute();
        cs.close();
    }
}
