package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class StatementInIfElseBranches {
    // Spring's statement creators pick one of several prepareStatement overloads in an if/else
    // chain and return the one they made: each branch's statement is returned, none is reassigned.
    PreparedStatement create(Connection con, String sql, String[] keys, boolean generated) throws SQLException {
        PreparedStatement ps;
        if (keys != null) {
            ps = con.prepareStatement(sql, keys);
        }
        else if (generated) {
            ps = con.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
        }
        else {
            ps = con.prepareStatement(sql);
        }
        ps.setFetchSize(10);
        return ps;
    }

    // The same choice, closed in finally: nothing to report.
    int update(Connection con, String sql, boolean scrollable) throws SQLException {
        PreparedStatement ps = null;
        try {
            if (scrollable) {
                ps = con.prepareStatement(sql, ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
            } else {
                ps = con.prepareStatement(sql);
            }
            return ps.executeUpdate();
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }

    // The choice made, then nothing closes either: both branches leak.
    int leak(Connection con, String sql, boolean callable) throws SQLException {
        Statement st;
        if (callable) {
            st = con.prepareCall(sql); // expect: SLC004
        } else {
            st = con.createStatement(); // expect: SLC004
        }
        return st.executeUpdate(sql);
    }

    // A second assignment after the first, not in another branch, still ends the first's life.
    void reassigned(Connection con) throws SQLException {
        Statement st = con.createStatement(); // expect: SLC004
        st.execute("select 1");
        st = con.createStatement();
        try {
            st.execute("select 2");
        } finally {
            st.close();
        }
    }
}
