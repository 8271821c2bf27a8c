package dev.keyward.core.token;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Records a revocation in the store (inside the caller's transaction, so a rolled-back change
 * revokes nothing on other nodes) and applies it to this node's list at once.
 */
public final class Revoker {
  private final RevocationLog log;
  private final RevocationList list;
  private final @Nullable RefreshTokenStore refreshTokens;
  private final Duration keep;

  /**
   * @param refreshTokens where the refresh tokens a revocation concerns are revoked too (they
   *     outlive access tokens, so the in-memory list alone cannot stop them)
   * @param keep how long a revocation matters: the longest access-token lifetime plus skew
   */
  public Revoker(RevocationLog log, RevocationList list, @Nullable RefreshTokenStore refreshTokens, Duration keep) {
    this.log = log;
    this.list = list;
    this.refreshTokens = refreshTokens;
    this.keep = keep;
  }

  public void revoke(Revocation r) {
    log.record(r, r.at().plus(keep));
    if (refreshTokens != null) {
      switch (r.kind()) {
        case USER -> refreshTokens.revokeAllOfUser(r.subject(), r.at());
        case KEY -> refreshTokens.revokeAllOfKey(r.subject(), r.at());
        case FAMILY -> refreshTokens.revokeFamily(r.subject(), r.at());
        case TOKEN -> { }
      }
    }
    list.apply(r);
  }

  /** For services built without token support (tests of other features). */
  public static Revoker inMemoryOnly(RevocationList list) {
    return new Revoker(new RevocationLog() {
      @Override
      public void record(Revocation revocation, java.time.Instant keepUntil) {}

      @Override
      public java.util.List<Revocation> since(java.time.Instant since) {
        return java.util.List.of();
      }
    }, list, null, Duration.ZERO);
  }
}
