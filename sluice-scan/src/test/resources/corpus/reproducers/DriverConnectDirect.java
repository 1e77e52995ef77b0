package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class DriverConnectDirect {
    Connection open(String url) throws SQLException {
        Driver driver = DriverManager.getDriver(url);
        return driver.connect(url, new Properties());  // expect: SLC002
    }
}
