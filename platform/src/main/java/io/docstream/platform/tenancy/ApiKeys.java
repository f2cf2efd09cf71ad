package io.docstream.platform.tenancy;

import io.docstream.platform.Hashing;
import static io.docstream.schemas.db.Tables.API_KEYS;
import static io.docstream.schemas.db.Tables.TENANTS;

import io.docstream.schemas.events.DocumentKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Tenants and their API keys. A key is {@code ds_} followed by 32 random bytes in base64url; only its
 * SHA-256 hash and a short display prefix are stored, so a leaked database does not leak keys.
 */
public final class ApiKeys {

    static final String KEY_PREFIX = "ds_";
    static final int RANDOM_BYTES = 32;
    static final int KEY_LENGTH = KEY_PREFIX.length() + 43;
    private static final int DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length() + 8;
    /** The longest key name. */
    public static final int MAX_NAME_LENGTH = 200;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern WELL_FORMED = Pattern.compile("ds_[A-Za-z0-9_-]{43}");

    private final DSLContext dsl;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    /** Creates the tenant if it does not exist; returns whether it was created. */
    public boolean ensureTenant(String tenant) {
        requireTenant(tenant);
        return dsl.insertInto(TENANTS, TENANTS.TENANT_ID).values(tenant).onConflictDoNothing().execute() == 1;
    }

    /** Issues a key for the tenant (created if missing) with the given scopes. */
    public CreatedApiKey create(String tenant, String name, Set<Scope> scopes) {
        byte[] secret = new byte[RANDOM_BYTES];
        random.nextBytes(secret);
        String plainKey = KEY_PREFIX + ENCODER.encodeToString(secret);
        UUID keyId = UUID.randomUUID();
        insert(keyId, tenant, name, plainKey, scopes);
        return new CreatedApiKey(keyId, tenant, plainKey, EnumSet.copyOf(scopes));
    }

    /**
     * Registers a key generated elsewhere (for example a deployment secret) for the tenant, creating the
     * tenant if missing. The key must have the format {@link #create} issues ({@code ds_} and 43 base64url
     * characters). Returns false, changing nothing, when the key is already registered.
     */
    public boolean register(String tenant, String name, String plainKey, Set<Scope> scopes) {
        Objects.requireNonNull(plainKey, "plainKey");
        if (!WELL_FORMED.matcher(plainKey).matches()) {
            throw new IllegalArgumentException("an API key is 'ds_' followed by 43 base64url characters");
        }
        return insert(UUID.randomUUID(), tenant, name, plainKey, scopes);
    }

    private boolean insert(UUID keyId, String tenant, String name, String plainKey, Set<Scope> scopes) {
        requireTenant(tenant);
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("key name must be 1.." + MAX_NAME_LENGTH + " characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope");
        }
        Set<Scope> granted = EnumSet.copyOf(scopes);
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            tx.insertInto(TENANTS, TENANTS.TENANT_ID).values(tenant).onConflictDoNothing().execute();
            return tx.insertInto(API_KEYS)
                    .set(API_KEYS.KEY_ID, keyId)
                    .set(API_KEYS.TENANT_ID, tenant)
                    .set(API_KEYS.KEY_HASH, hash(plainKey))
                    .set(API_KEYS.KEY_PREFIX, plainKey.substring(0, DISPLAY_PREFIX_LENGTH))
                    .set(API_KEYS.NAME, name.strip())
                    .set(API_KEYS.SCOPES, granted.stream().map(Scope::value).toArray(String[]::new))
                    .onConflict(API_KEYS.KEY_HASH).doNothing()
                    .execute() == 1;
        });
    }

    /**
     * The principal of a live key of an enabled tenant. Malformed, unknown and revoked keys, and keys of a disabled
     * tenant, all give empty. The lookup is by
     * hash, so timing reveals nothing about how much of a guessed key was right.
     */
    public Optional<ApiKeyPrincipal> authenticate(String plainKey) {
        if (plainKey == null || plainKey.length() != KEY_LENGTH || !plainKey.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        byte[] hash = hash(plainKey);
        return dsl.select(API_KEYS.KEY_ID, API_KEYS.TENANT_ID, API_KEYS.NAME, API_KEYS.SCOPES, API_KEYS.KEY_HASH)
                .from(API_KEYS)
                .join(TENANTS).on(TENANTS.TENANT_ID.eq(API_KEYS.TENANT_ID))
                .where(API_KEYS.KEY_HASH.eq(hash))
                .and(API_KEYS.REVOKED_AT.isNull())
                .and(TENANTS.DISABLED_AT.isNull())
                .fetchOptional()
                .filter(row -> MessageDigest.isEqual(hash, row.get(API_KEYS.KEY_HASH)))
                .map(row -> new ApiKeyPrincipal(row.get(API_KEYS.KEY_ID), row.get(API_KEYS.TENANT_ID),
                        row.get(API_KEYS.NAME), scopes(row.get(API_KEYS.SCOPES))));
    }

    /** Every key of the tenant, revoked ones included, oldest first. */
    public List<ApiKeySummary> list(String tenant) {
        requireTenant(tenant);
        return dsl.select(API_KEYS.KEY_ID, API_KEYS.TENANT_ID, API_KEYS.NAME, API_KEYS.KEY_PREFIX, API_KEYS.SCOPES,
                        API_KEYS.CREATED_AT, API_KEYS.REVOKED_AT)
                .from(API_KEYS)
                .where(API_KEYS.TENANT_ID.eq(tenant))
                .orderBy(API_KEYS.CREATED_AT, API_KEYS.KEY_ID)
                .fetch(ApiKeys::summary);
    }

    /** The tenant's key with this id, revoked or not; empty when the tenant has no such key. */
    public Optional<ApiKeySummary> find(String tenant, UUID keyId) {
        requireTenant(tenant);
        Objects.requireNonNull(keyId, "keyId");
        return dsl.select(API_KEYS.KEY_ID, API_KEYS.TENANT_ID, API_KEYS.NAME, API_KEYS.KEY_PREFIX, API_KEYS.SCOPES,
                        API_KEYS.CREATED_AT, API_KEYS.REVOKED_AT)
                .from(API_KEYS)
                .where(API_KEYS.TENANT_ID.eq(tenant), API_KEYS.KEY_ID.eq(keyId))
                .fetchOptional(ApiKeys::summary);
    }

    /**
     * Revokes the tenant's key; returns false when the tenant has no such live key (unknown, another tenant's,
     * or already revoked), so a caller cannot tell another tenant's key from one that does not exist.
     */
    public boolean revoke(String tenant, UUID keyId) {
        requireTenant(tenant);
        Objects.requireNonNull(keyId, "keyId");
        return dsl.update(API_KEYS)
                .set(API_KEYS.REVOKED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .where(API_KEYS.KEY_ID.eq(keyId))
                .and(API_KEYS.TENANT_ID.eq(tenant))
                .and(API_KEYS.REVOKED_AT.isNull())
                .execute() == 1;
    }

    /** Revokes the key; returns false when there is no such key or it was already revoked. */
    public boolean revoke(UUID keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return dsl.update(API_KEYS)
                .set(API_KEYS.REVOKED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .where(API_KEYS.KEY_ID.eq(keyId))
                .and(API_KEYS.REVOKED_AT.isNull())
                .execute() == 1;
    }

    private static ApiKeySummary summary(Record row) {
        return new ApiKeySummary(row.get(API_KEYS.KEY_ID), row.get(API_KEYS.TENANT_ID), row.get(API_KEYS.NAME),
                row.get(API_KEYS.KEY_PREFIX), scopes(row.get(API_KEYS.SCOPES)),
                instant(row.get(API_KEYS.CREATED_AT)), instant(row.get(API_KEYS.REVOKED_AT)));
    }

    private static Set<Scope> scopes(String[] stored) {
        return Arrays.stream(stored).map(Scope::fromValue).collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    static void requireTenant(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        if (!DocumentKey.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("invalid tenant: " + tenant);
        }
    }

    static byte[] hash(String plainKey) {
        return Hashing.sha256(plainKey.getBytes(StandardCharsets.UTF_8));
    }
}
