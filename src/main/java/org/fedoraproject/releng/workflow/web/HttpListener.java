package org.fedoraproject.releng.workflow.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.fedoraproject.releng.workflow.config.ConfigException;

/**
 * The engine's listening socket, bound before anything else is built: with {@code server.port: 0}
 * the port, and so the base URL that links, messages and the OIDC redirect name, is known only
 * once bound. {@link WebServer} serves on it later; until then connections wait in the backlog.
 */
public final class HttpListener implements AutoCloseable {

    private final ServerSocketChannel channel;
    private final String host;
    private final int port;

    private HttpListener(ServerSocketChannel channel, String host, int port) {
        this.channel = channel;
        this.host = host;
        this.port = port;
    }

    /** A port in use or an address not on this host can only fail when tried, so here, not in ConfigLoader. */
    public static HttpListener bind(String host, int port) {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                // as Jetty's own connector does: a restarted engine may take its port back at once
                channel.socket().setReuseAddress(true);
                channel.bind(new InetSocketAddress(host, port));
                return new HttpListener(channel, host, ((InetSocketAddress) channel.getLocalAddress()).getPort());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ConfigException("server.port: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    ServerSocketChannel channel() {
        return channel;
    }

    /** Only needed when the web server never started; stopping it closes the socket too. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing listens any more either way
        }
    }
}
