package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class NestedAcquisitionDeadlock {
    private final DataSource pool;

    NestedAcquisitionDeadlock(DataSource pool) {
        this.pool = pool;
    }

    void transfer() throws SQLException {
        try (Connection from = pool.getConnection()) {
            try (Connection to = pool.getConnection()) {  // expect: SLC008
                from.setReadOnly(false);
                to.setReadOnly(false);
            }
        }
    }
}
