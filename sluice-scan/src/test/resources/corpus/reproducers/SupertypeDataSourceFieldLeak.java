package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class SupertypeDataSourceFieldLeak {
    abstract static class BaseDao {
        protected DataSource dataSource;

        protected DataSource getDataSource() {
            return dataSource;
        }
    }

    // The DataSource comes from the superclass; the connection taken from it is never closed.
    static final class AccountDao extends BaseDao {
        long balance(long id) throws SQLException {
            Connection c = getDataSource().getConnection(); // expect: SLC003
            try (PreparedStatement ps = c.prepareStatement("select balance from account where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
    }
}
