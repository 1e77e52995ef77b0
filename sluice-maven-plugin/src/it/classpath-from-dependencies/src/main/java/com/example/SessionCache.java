package com.example;

import org.h2.jdbc.JdbcConnection;

public class SessionCache {
    private JdbcConnection current;

    public void remember(JdbcConnection c) {
        this.current = c;
    }

    public boolean holding() {
        return current != null;
    }
}
