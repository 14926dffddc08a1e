"""Remediation for runbook Problem 3: connected, but real-time updates do not arrive.

Corrects the runbook's commands (reference §1, §6): /api/channels is a POST with a JSON body,
successful publishes are not logged, and namespaces are `namespaces` (v5) / `channel.namespaces`
(v6). Probes go to PROBE_CHANNEL only: org channels reach real customers' browsers.
"""

from __future__ import annotations

from checks.model import Problem
from checks.remediation.text import ProblemSteps, Step

CHANNELS = Step(
    "Which org channels have subscribers right now: `{channels}` (the runbook's GET with "
    "`Authorization: apikey` gets 405: every API call is a POST with a JSON body).",
    "Quais canais da org têm assinantes agora: `{channels}` (o GET do runbook com "
    "`Authorization: apikey` recebe 405: toda chamada da API é um POST com corpo JSON).",
)
NAMES = Step(
    "The app must publish to exactly {ch_messages} and {ch_tickets}, the channels the browser "
    "subscribes to (namespace `org`: v5 `namespaces`, v6 `channel.namespaces`).",
    "A aplicação deve publicar exatamente em {ch_messages} e {ch_tickets}, os canais que o "
    "navegador assina (namespace `org`: v5 `namespaces`, v6 `channel.namespaces`).",
)
SUBSCRIBE_LOGS = Step(
    "Subscribe failures in the server logs: `{logs_subscribe}`.",
    "Falhas de subscrição nos logs do servidor: `{logs_subscribe}`.",
)
REDIS_PING = Step(
    "Check Redis, Centrifugo's broker: `{redis_ping}` → PONG (see the Redis steps).",
    "Confira o Redis, o broker do Centrifugo: `{redis_ping}` → PONG (veja os passos de Redis).",
)

GENERAL = (
    Step(
        "The browser console must show `[Centrifugo] Subscribed to {ch_messages}` and "
        "`[Centrifugo] Subscribed to {ch_tickets}`; if not, the subscription is failing.",
        "O console do navegador deve mostrar `[Centrifugo] Subscribed to {ch_messages}` e "
        "`[Centrifugo] Subscribed to {ch_tickets}`; se não mostrar, a subscrição está falhando.",
    ),
    CHANNELS,
    Step(
        "Does publish → deliver work at all? Publish to the probe channel only (never to org "
        'channels: they reach customers): `{publish}` → {{"result":{{}}}}; a subscriber on '
        "{probe} must receive it.",
        "Publicar → entregar funciona? Publique só no canal de teste (nunca nos canais da org: "
        'eles chegam aos clientes): `{publish}` → {{"result":{{}}}}; um assinante de {probe} '
        "deve recebê-la.",
    ),
    Step(
        "Successful publishes are not logged, so the runbook's grep for publish finds only "
        "failures (`error publishing data to channel`): `{logs_publish}`.",
        "Publicações bem-sucedidas não são registradas, então o grep de publish do runbook só "
        "encontra falhas (`error publishing data to channel`): `{logs_publish}`.",
    ),
    Step(
        "Redis pub/sub in the logs: `{logs_redis}`.",
        "Pub/sub do Redis nos logs: `{logs_redis}`.",
    ),
    NAMES,
)

CAUSES = {
    "unknown_channel": (
        Step(
            "Subscribe got 102 unknown channel: the namespace `org` is not configured. Add it: v5 "
            '`"namespaces": [{{"name": "org", "allow_subscribe_for_client": true}}]`, v6 the same '
            "list under `channel.namespaces` (env CENTRIFUGO_CHANNEL_NAMESPACES as JSON).",
            "A subscrição recebeu 102 unknown channel: o namespace `org` não está configurado. "
            'Adicione: v5 `"namespaces": [{{"name": "org", "allow_subscribe_for_client": true}}]`'
            ", v6 a mesma lista em `channel.namespaces` (env CENTRIFUGO_CHANNEL_NAMESPACES em "
            "JSON).",
        ),
        Step(
            "Verify without publishing: `{presence_stats}`: error 102 = namespace missing, 108 = "
            "namespace present (presence off).",
            "Verifique sem publicar: `{presence_stats}`: erro 102 = namespace ausente, 108 = "
            "namespace presente (presence desligado).",
        ),
    ),
    "permission_denied": (
        Step(
            "Subscribe got 103 permission denied: the `org` namespace does not let clients "
            "subscribe. Set allow_subscribe_for_client: true in it (anonymous users also need "
            "allow_subscribe_for_anonymous), or have the app issue subscription tokens (`channel` "
            "= {ch_messages}, `sub` = the user). The log says `attempt to subscribe without "
            "sufficient permission`.",
            "A subscrição recebeu 103 permission denied: o namespace `org` não deixa clientes "
            "assinarem. Defina allow_subscribe_for_client: true nele (usuários anônimos também "
            "precisam de allow_subscribe_for_anonymous), ou faça a aplicação emitir tokens de "
            "subscrição (`channel` = {ch_messages}, `sub` = o usuário). O log diz `attempt to "
            "subscribe without sufficient permission`.",
        ),
        SUBSCRIBE_LOGS,
    ),
    "sub_token_expired": (
        Step(
            "Subscribe got 109 token expired: the subscription token's `exp` has passed. The "
            "client must fetch a fresh one (the subscription's getToken) and the app's clock "
            "must be right (NTP).",
            "A subscrição recebeu 109 token expired: o `exp` do token de subscrição passou. O "
            "cliente deve buscar um novo (getToken da subscrição) e o relógio da aplicação deve "
            "estar certo (NTP).",
        ),
    ),
    "already_subscribed": (
        Step(
            "Subscribe got 105 already subscribed: the client subscribes twice to one channel on "
            "the same connection (an effect running twice, for instance); reuse the existing "
            "subscription (getSubscription) instead of creating another.",
            "A subscrição recebeu 105 already subscribed: o cliente assina duas vezes o mesmo "
            "canal na mesma conexão (um effect executando duas vezes, por exemplo); reutilize a "
            "subscrição existente (getSubscription) em vez de criar outra.",
        ),
    ),
    "publish_failed": (
        Step(
            "Publish returned error 100 internal server error (with HTTP 200): Centrifugo could "
            "not hand the message to its broker, usually because Redis is down; the log says "
            "`error publishing data to channel`: `{logs_publish}`.",
            "O publish retornou erro 100 internal server error (com HTTP 200): o Centrifugo não "
            "conseguiu entregar a mensagem ao broker, em geral porque o Redis caiu; o log diz "
            "`error publishing data to channel`: `{logs_publish}`.",
        ),
        REDIS_PING,
    ),
    "not_delivered": (
        Step(
            "The publish was accepted but never arrived. Either the names differ (the app must "
            "publish to exactly {ch_messages}), or the nodes do not share Redis pub/sub: every "
            "replica must use the same Redis engine (v5 engine: redis + redis_address, v6 "
            "engine.type: redis + engine.redis.address); with the memory engine a message "
            "reaches only the subscribers of the node that received it.",
            "A publicação foi aceita mas nunca chegou. Ou os nomes diferem (a aplicação deve "
            "publicar exatamente em {ch_messages}), ou os nós não compartilham o pub/sub do "
            "Redis: toda réplica deve usar o mesmo engine Redis (v5 engine: redis + "
            "redis_address, v6 engine.type: redis + engine.redis.address); com o engine memory a "
            "mensagem só chega aos assinantes do nó que a recebeu.",
        ),
        Step(
            "Count nodes with `{info}` (one entry per node sharing the engine) and see "
            "Centrifugo's Redis channels with `{redis_channels}`.",
            "Conte os nós com `{info}` (uma entrada por nó que compartilha o engine) e veja os "
            "canais do Centrifugo no Redis com `{redis_channels}`.",
        ),
    ),
    "no_subscribers": (
        Step(
            "Nobody is subscribed to {ch_messages} or {ch_tickets} right now: no browser of this "
            "org is open, or its subscriptions fail. Open the app as a member of the org and "
            "watch for `[Centrifugo] Subscribed to {ch_messages}`.",
            "Ninguém assina {ch_messages} nem {ch_tickets} agora: nenhum navegador desta org está "
            "aberto, ou as subscrições falham. Abra a aplicação como membro da org e observe "
            "`[Centrifugo] Subscribed to {ch_messages}`.",
        ),
        CHANNELS,
    ),
    "subscribe_internal": (
        Step(
            "Close 3004 internal server error on subscribe: Centrifugo could not add the "
            "subscription in its broker, usually because Redis is down (log `error adding "
            "subscription`).",
            "Fechamento 3004 internal server error na subscrição: o Centrifugo não conseguiu "
            "registrar a subscrição no broker, em geral porque o Redis caiu (log `error adding "
            "subscription`).",
        ),
        SUBSCRIBE_LOGS,
        REDIS_PING,
    ),
}

STEPS = ProblemSteps(
    Problem.NO_UPDATES,
    Step(
        "Problem 3: connected but no real-time updates",
        "Problema 3: Conectado mas sem atualizações em tempo real",
    ),
    GENERAL,
    CAUSES,
)
