package dev.tollgate.platform;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Tollgate keeps its state: an external PostgreSQL when {@code url} is set, otherwise an
 * embedded PostgreSQL whose data lives in {@code dataDir}.
 */
@ConfigurationProperties("tollgate.database")
public record DatabaseProperties(
        @Nullable String url, @Nullable String user, @Nullable String password, Path dataDir, int poolSize) {

    public DatabaseProperties {
        if (poolSize < 1) {
            throw new IllegalArgumentException("tollgate.database.pool-size must be at least 1, was " + poolSize);
        }
    }

    boolean embedded() {
        return url == null || url.isBlank();
    }

    @Override
    public String toString() {
        return "DatabaseProperties[url=" + url + ", user=" + user + ", dataDir=" + dataDir + ", poolSize=" + poolSize
                + "]";
    }
}
