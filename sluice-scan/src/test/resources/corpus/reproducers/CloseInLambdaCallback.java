package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CloseInLambdaCallback {
    interface Completion { void onDone(Runnable r); }

    void run(DataSource ds, Completion done) throws SQLException {
        Connection c = ds.getConnection();
        done.onDone(() -> {
            try {
                c.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        c.setReadOnly(true);
    }
}
