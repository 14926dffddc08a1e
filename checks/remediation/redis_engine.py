"""Remediation for the runbook's Redis connection errors (Centrifugo's engine and broker).

Corrects the runbook's log example (reference §8): `error creating engine: dial tcp redis:6379`
is the v5 shape and Go prints the resolved IP; v6 logs `configure engines error` instead, and the
engine options changed names between v5 and v6.
"""

from __future__ import annotations

from checks.model import Problem
from checks.remediation.text import ProblemSteps, Step

PING = Step(
    "Redis answers: `{redis_ping}` → PONG (REDIS_URL as Centrifugo reaches it).",
    "O Redis responde: `{redis_ping}` → PONG (REDIS_URL como o Centrifugo o acessa).",
)
ENGINE = Step(
    "Centrifugo's engine options: v5 engine: redis + redis_address (env CENTRIFUGO_ENGINE, "
    "CENTRIFUGO_REDIS_ADDRESS); v6 engine.type: redis + engine.redis.address (env "
    "CENTRIFUGO_ENGINE_TYPE, CENTRIFUGO_ENGINE_REDIS_ADDRESS). v6 ignores the v5 names and logs "
    "`unknown var in environment`: `{logs_env}`.",
    "Opções de engine do Centrifugo: v5 engine: redis + redis_address (env CENTRIFUGO_ENGINE, "
    "CENTRIFUGO_REDIS_ADDRESS); v6 engine.type: redis + engine.redis.address (env "
    "CENTRIFUGO_ENGINE_TYPE, CENTRIFUGO_ENGINE_REDIS_ADDRESS). A v6 ignora os nomes da v5 e "
    "registra `unknown var in environment`: `{logs_env}`.",
)
LOG_SHAPES = Step(
    "Redis lines in the logs: `{logs_redis}`. At start v5 logs `error creating engine: dial tcp "
    "<ip>:6379: connect: connection refused` (Go prints the resolved IP, not redis:6379); v6 "
    "logs `configure engines error` with error=`error creating engine: error creating Redis "
    "shards: error creating Redis client: dial tcp ...`. At run time: v5 `pub/sub error`, v6 "
    "`pub/sub connection error`.",
    "Linhas de Redis nos logs: `{logs_redis}`. Na inicialização a v5 registra `error creating "
    "engine: dial tcp <ip>:6379: connect: connection refused` (o Go imprime o IP resolvido, não "
    "redis:6379); a v6 registra `configure engines error` com error=`error creating engine: "
    "error creating Redis shards: error creating Redis client: dial tcp ...`. Em execução: v5 "
    "`pub/sub error`, v6 `pub/sub connection error`.",
)
RESTARTS = Step(
    "Centrifugo exits when Redis is unreachable at start, so Swarm restarts it in a loop: "
    "`{service_ps}`; Redis service: `{service_ls}`.",
    "O Centrifugo encerra quando o Redis está inacessível na inicialização, então o Swarm o "
    "reinicia em loop: `{service_ps}`; serviço Redis: `{service_ls}`.",
)

GENERAL = (PING, ENGINE, LOG_SHAPES, RESTARTS)

CAUSES = {
    "redis_unreachable": (
        Step(
            "Redis does not answer: bring the Redis service back and make sure it shares an "
            "overlay network with Centrifugo; once Redis is up, Swarm's next restart of "
            "Centrifugo connects.",
            "O Redis não responde: restabeleça o serviço Redis e garanta que ele compartilhe uma "
            "rede overlay com o Centrifugo; com o Redis de pé, o próximo reinício do Centrifugo "
            "pelo Swarm conecta.",
        ),
        RESTARTS,
    ),
    "redis_auth": (
        Step(
            "Redis refused the credentials (NOAUTH or WRONGPASS): make REDIS_URL and Centrifugo's "
            "password agree (v5 redis_password, v6 engine.redis.password, or the password inside "
            "a redis:// address), then retry `{redis_ping}`.",
            "O Redis recusou as credenciais (NOAUTH ou WRONGPASS): faça REDIS_URL e a senha do "
            "Centrifugo coincidirem (v5 redis_password, v6 engine.redis.password, ou a senha "
            "dentro de um endereço redis://), depois repita `{redis_ping}`.",
        ),
    ),
    "redis_slow": (
        Step(
            "Redis is slow: measure with `{redis_latency}` (Ctrl-C stops it) and `{redis_slowlog}`"
            ", and look at load with `{redis_info}`. Centrifugo's Redis io_timeout is 4 s (v6 "
            "engine.redis.io_timeout).",
            "O Redis está lento: meça com `{redis_latency}` (Ctrl-C encerra) e `{redis_slowlog}`, "
            "e veja a carga com `{redis_info}`. O io_timeout do Redis no Centrifugo é 4 s (v6 "
            "engine.redis.io_timeout).",
        ),
    ),
    "redis_pubsub": (
        Step(
            "PING works but a published message did not come back: Redis pub/sub is blocked (a "
            "proxy or managed Redis without SUBSCRIBE, or an ACL). Try it by hand: "
            "`{redis_sub}` in one terminal, `{redis_pub}` in another → (integer) 1.",
            "PING funciona mas uma mensagem publicada não voltou: o pub/sub do Redis está "
            "bloqueado (um proxy ou Redis gerenciado sem SUBSCRIBE, ou uma ACL). Teste à mão: "
            "`{redis_sub}` num terminal, `{redis_pub}` em outro → (integer) 1.",
        ),
    ),
    "redis_refused_log": (
        Step(
            "Centrifugo's logs show Redis connection refused: Centrifugo cannot reach Redis at its "
            "configured address (the IP in the line is the resolved address). Check the address "
            "option (v5 redis_address, v6 engine.redis.address) and that Redis listens there.",
            "Os logs do Centrifugo mostram connection refused do Redis: o Centrifugo não alcança "
            "o Redis no endereço configurado (o IP na linha é o endereço resolvido). Confira a "
            "opção de endereço (v5 redis_address, v6 engine.redis.address) e se o Redis escuta "
            "ali.",
        ),
        LOG_SHAPES,
    ),
}

STEPS = ProblemSteps(
    Problem.REDIS,
    Step("Redis connection error", "Erro de Conexão Redis"),
    GENERAL,
    CAUSES,
)
