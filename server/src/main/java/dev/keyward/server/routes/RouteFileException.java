package dev.keyward.server.routes;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import org.jspecify.annotations.Nullable;

/**
 * A routes file that cannot be used, with where and why: {@code routes.yaml:12:5: unknown field
 * 'permision' (known: …)}. A 400 when the document came in a request body; a start-up error
 * when it came from {@code --routes}.
 */
public final class RouteFileException extends KeywardException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;
  private final String problem;

  RouteFileException(String source, int line, int column, String problem, @Nullable String field) {
    super(ErrorCode.INVALID_REQUEST, (line > 0 ? source + ":" + line + ":" + column : source) + ": " + problem, field, null, null);
    this.source = source;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** The file (or document) name as given to the loader. */
  public String source() {
    return source;
  }

  /** 1-based line of the problem; 0 when the problem is the file as a whole. */
  public int line() {
    return line;
  }

  /** 1-based column of the problem; 0 when the problem is the file as a whole. */
  public int column() {
    return column;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
