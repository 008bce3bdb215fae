package org.fedoraproject.releng.workflow.testsupport;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A data source that notes every database round trip made through it: each statement executed
 * (with its SQL) and each commit. Everything on top of it, JDBI and db-scheduler alike, is counted.
 */
public final class CountingDataSource {

    private final DataSource target;
    private final List<String> trips = new CopyOnWriteArrayList<>();

    public CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** The counting data source. */
    public DataSource dataSource() {
        return proxy(DataSource.class, target, (method, args, result) -> {
            if (method.getName().equals("getConnection")) {
                return connection((Connection) result);
            }
            return result;
        });
    }

    /** The round trips made since the last {@link #reset}, in order: SQL text, or {@code commit}. */
    public List<String> trips() {
        return List.copyOf(trips);
    }

    public void reset() {
        trips.clear();
    }

    private Connection connection(Connection c) {
        return proxy(Connection.class, c, (method, args, result) -> {
            switch (method.getName()) {
                case "prepareStatement", "prepareCall" -> {
                    String sql = (String) args[0];
                    return proxy(method.getReturnType(), result, (m, a, r) -> {
                        if (m.getName().startsWith("execute")) {
                            trips.add(sql);
                        }
                        return r;
                    });
                }
                case "createStatement" -> {
                    return proxy(Statement.class, result, (m, a, r) -> {
                        if (m.getName().startsWith("execute")) {
                            trips.add(a != null && a.length > 0 && a[0] instanceof String s ? s : m.getName());
                        }
                        return r;
                    });
                }
                case "commit" -> trips.add("commit");
                default -> {}
            }
            return result;
        });
    }

    /** What a proxy does with the target's result of a call (the call is made first). */
    private interface After {
        Object apply(Method method, Object[] args, Object result) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, Object target, After after) {
        InvocationHandler handler = (p, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return result;
            }
            return after.apply(method, args, result);
        };
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
