# centrifugo-bot: the Slack app (`serve`, the default) and the CLI (`docker run IMAGE diagnose org 123`).
# Slim, non-root, with a health check on /healthz. Build: docker build -t centrifugo-bot .

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY checks ./checks
COPY bot ./bot
# Wheels only into a prefix that the runtime stage copies: no compiler, pip cache or sources ship.
RUN pip install --no-cache-dir --no-compile --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=3000 \
    STATE_PATH=/var/lib/centrifugo-bot/state.sqlite3
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin bot \
 && mkdir -p /var/lib/centrifugo-bot \
 && chown bot /var/lib/centrifugo-bot
COPY --from=build /install /usr/local
USER bot
WORKDIR /var/lib/centrifugo-bot
VOLUME ["/var/lib/centrifugo-bot"]
EXPOSE 3000
# 200 when up (and, in Socket Mode, connected to Slack); 503 or no answer otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"
ENTRYPOINT ["centrifugo-bot"]
CMD ["serve"]
