package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class RawPgDataSource {
    static final class PGSimpleDataSource { void setUrl(String u) { } }

    Object dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();  // expect: SLC002
        ds.setUrl(url);
        return ds;
    }
}
