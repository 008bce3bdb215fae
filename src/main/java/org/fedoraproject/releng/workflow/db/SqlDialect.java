package org.fedoraproject.releng.workflow.db;

import java.sql.SQLException;
import org.jdbi.v3.core.Jdbi;

/**
 * The few places where PostgreSQL and H2 (even in PostgreSQL mode) spell SQL differently. Both
 * can change rows and return what they became in one round trip, but H2 has no {@code RETURNING}.
 */
public enum SqlDialect {
    POSTGRESQL {
        @Override
        public String updateReturning(String update, String columns) {
            return update + " returning " + columns;
        }
    },
    H2 {
        @Override
        public String updateReturning(String update, String columns) {
            return "select " + columns + " from final table (" + update + ")";
        }
    };

    /** A query that runs {@code update} and returns {@code columns} of the rows it changed, as they are after it. */
    public abstract String updateReturning(String update, String columns);

    /** The dialect of the database behind {@code jdbi}, asked once. */
    public static SqlDialect of(Jdbi jdbi) {
        String product;
        try {
            product = jdbi.<String, SQLException>withHandle(
                    h -> h.getConnection().getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database this is: " + e.getMessage(), e);
        }
        return product.toLowerCase(java.util.Locale.ROOT).contains("h2") ? H2 : POSTGRESQL;
    }
}
