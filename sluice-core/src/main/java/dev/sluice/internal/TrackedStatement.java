package dev.sluice.internal;

import java.sql.SQLException;

/** A statement handle the pool closes when its connection is returned with it still open. */
interface TrackedStatement {
    /** Closes the physical statement without unregistering it; the pool is already discarding the list. */
    void closeByPool() throws SQLException;
}
