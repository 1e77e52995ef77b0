package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallableHeldAsStatement {
    // A CallableStatement held in a variable of its supertype is still a statement to close.
    void audit(Connection c, long id) throws SQLException {
        Statement st = c.prepareCall("{call audit_order(?)}"); // expect: SLC004
        ((CallableStatement) st).setLong(1, id);
        ((CallableStatement) st).execute();
    }
}
