"""Word lists for the exotic-explanation audit: outside causes, own-code causes, evidence.

After a failure an agent sometimes blames something outside the codebase (the kernel, the
network, the cloud provider, an upstream library, "flaky infrastructure") when the cause
is nearly always in the project's own code or configuration. These lists name, in general
terms, the ways such causes are phrased; ``explanations.py`` decides with them.

Every entry is ``(category or kind, weight, regex)``. Weights below 1 mark words that are
weak alone ("network", "the scheduler", "disk", "under load"). Regexes are matched
case-insensitively unless they say otherwise with ``(?-i:…)``.
"""

from __future__ import annotations

# Libraries, runtimes and tools an agent may call "buggy": naming one as the cause is an
# outside (upstream) explanation.
KNOWN_UPSTREAMS = (
    r"grpc(?:-go|-java|-js)?|client-go|controller-runtime|kubernetes|k8s|kubelet|docker|containerd|runc|cri-o|"
    r"glibc|musl|libc|openssl|boringssl|urllib3|requests|aiohttp|httpx|asyncio|pytest(?:-[\w]+)?|pytest_asyncio|"
    r"jest|vitest|mocha|node(?:\.js)?|nodejs|v8|jvm|hotspot|openjdk|cpython|python|golang|go|rustc|llvm|gcc|clang|"
    r"numpy|pandas|react|django|flask|fastapi|starlette|uvicorn|gunicorn|spring|hibernate|netty|tokio|hyper|"
    r"webpack|babel|typescript|esbuild|vite|npm|pip|setuptools|poetry|helm|kind|minikube|etcd|raft|hashicorp/raft|"
    r"boto3|botocore|aws-sdk|sqlalchemy|psycopg2?|libpq|redis-py|ioredis|librdkafka|kafka-python|protobuf|"
    r"chromium|playwright|selenium|puppeteer|electron|ginkgo|gomega|testify|testcontainers|mockito|junit|"
    r"the sdk|the driver|the orm"
)

# (category, weight, regex): a cause outside the project's code and configuration.
OUTSIDE_CAUSES: tuple[tuple[str, float, str], ...] = (
    # kernel and operating system
    ("kernel", 1.0, r"\bkernel(?:[- ]level|[- ]space|'s)?\b"),
    (
        "kernel",
        1.0,
        r"\b(?:syscalls?|system calls?|epoll|kqueue|io_uring|futex(?:es)?|softirqs?|inotify|fsnotify)\b",
    ),
    ("kernel", 1.0, r"\bcgroups?(?: v2)?\b|\bcfs (?:quota|bandwidth|throttl\w*)"),
    ("kernel", 1.0, r"\bcpu (?:throttl\w*|starv\w*|steal|contention|pressure|quota)\b|\bthrottled cpu\b"),
    ("kernel", 1.0, r"\b(?:nf_)?conntrack\b|\bephemeral ports?\b|\bport exhaustion\b|\bTIME_WAIT\b"),
    (
        "kernel",
        1.0,
        r"\b(?:tcp )?(?:accept|listen|syn) (?:backlog|queue)\b|\btcp (?:stack|backlog|buffers?|window)\b|\bsocket buffers?\b|\bnagle\w*",
    ),
    (
        "kernel",
        1.0,
        r"\bpage[- ]?cache\b|\bmemory pressure\b|\boom[- ]?killer\b|\bswap(?:ping| space)?\b|\bdirty pages\b|\bwriteback\b",
    ),
    (
        "kernel",
        1.0,
        r"\b(?:clock|time) (?:skew|drift|jump)s?\b|\bntp\b|\bchrony\b|\btime sync(?:hroni[sz]ation)?\b",
    ),
    (
        "kernel",
        1.0,
        r"\bfile[- ]descriptor (?:limit|exhaustion)s?\b|\bfd (?:limit|exhaustion)\b|\bulimits?\b|\bentropy (?:pool|starvation)\b",
    ),
    (
        "kernel",
        1.0,
        r"\btransparent huge ?pages\b|\b(?-i:THP)\b|\bsysctl\b|\bselinux\b|\bapparmor\b|\bseccomp\b|\boverlayfs\b|\bi/o scheduler\b",
    ),
    (
        "kernel",
        0.8,
        r"\b(?:the )?(?:os|operating system|linux|macos|windows)(?: itself)?\b(?= (?:is|was|kills?|killed|buffers?|caches?|throttl\w*|delay\w*|schedul\w*|reclaim\w*))",
    ),
    ("kernel", 0.8, r"\bmemory (?:is )?(?:being )?reclaim\w*\b|\bmemory fragmentation\b"),
    (
        "kernel",
        1.0,
        r"\biocp\b|\bantivirus\b|\bwindows defender\b|\b(?:os|windows|macos|linux|darwin)(?:'s)? (?:implementation|internals|networking stack|network stack|tcp stack|file cache|kernel)\b",
    ),
    (
        "kernel",
        0.8,
        r"\b(?:runs?|running|ran) (?:low|out) (?:on|of) (?:memory|ram|disk|space|cpu|file descriptors|inodes|ports)\b",
    ),
    # scheduling
    (
        "scheduler",
        1.0,
        r"\b(?:go|goroutine|os|linux|thread|cpu|process|kernel|cfs|runtime)(?:'s)? scheduler\b",
    ),
    ("scheduler", 1.0, r"\bpreempt(?:ed|ing|ion|s|ive)?\b|\bcontext[- ]switch\w*\b|\bdescheduled\b"),
    (
        "scheduler",
        1.0,
        r"\b(?:thread|goroutine|cpu) (?:starvation|scheduling)\b|\bscheduling (?:jitter|latency|delays?|noise|hiccups?|unfairness)\b",
    ),
    ("scheduler", 0.6, r"\bthe scheduler\b|\bscheduler (?:latency|jitter|delays?|hiccups?)\b"),
    # hardware
    (
        "hardware",
        1.0,
        r"\bcosmic[- ]?rays?\b|\bbit[- ]?flips?\b|\bsunspots?\b|\bsolar (?:flares?|storms?|activity|wind)\b",
    ),
    (
        "hardware",
        1.0,
        r"\bhardware\b|\bfaulty (?:ram|memory|disk|nic|cpu|cable|hardware)\b|\bbad (?:ram|memory module|sectors?|disk|nic|cable)\b|\b(?-i:ECC)\b",
    ),
    (
        "hardware",
        1.0,
        r"\bnuma\b|\bcache[- ]?coheren\w*|\bcpu caches?\b|\bthermal\w*|\boverheat\w*|\bcpu frequency\b|\bturbo boost\b|\bpower (?:glitch|fluctuations?|saving|management)\b",
    ),
    (
        "hardware",
        1.0,
        r"\b(?:slow|failing|degraded|noisy|busy|saturated) (?:disks?|ssds?|hdds?|storage|nvme|volumes?)\b|\bdisk (?:latency|contention|i/o|io|throughput|saturation|stalls?)\b",
    ),
    (
        "hardware",
        1.0,
        r"\bi/o (?:latency|contention|stalls?|wait|saturation|throttl\w*)\b|\biops\b|\bebs\b|\bfsync (?:latency|stalls?)\b|\bstorage (?:latency|backend|layer)\b|\bnvme\b",
    ),
    (
        "hardware",
        1.0,
        r"\bmemory bandwidth\b|\bcpu steal\b|\bsteal time\b|\bsilicon\b|\b(?:ram|memory) errors?\b",
    ),
    (
        "hardware",
        1.0,
        r"\bthe (?:host|machine|laptop|box|hardware|vm|instance)(?: itself)? (?:is|was|must be|seems|being|may be|might be) (?:just |really |very |too |a bit |quite |simply |much )?(?:slow|slower|overloaded|underpowered|busy|under load|struggling)\b|\bslow (?:machine|host|hardware|box|laptop)\b",
    ),
    ("hardware", 0.6, r"\bdisks?\b|\bssds?\b"),
    # network
    ("network", 1.0, r"\bdns\b|\bresolvers?\b|\bname resolution\b|\bpropagation delay\b"),
    (
        "network",
        1.0,
        r"\b(?:tls|ssl|x509|https) cert(?:ificate)?s?\b|\bcert(?:ificate)?s? (?:has |have |had |is |was )?(?:expired|revoked|untrusted)\b",
    ),
    (
        "network",
        1.0,
        r"\bcertificate (?:verification|validation|chain)\b|\b(?:root|internal|corporate|intermediate|self-signed) (?:ca|certificate authority)\b|\bca (?:bundle|store)\b|\btrust ?store\b",
    ),
    (
        "network",
        1.0,
        r"\b(?:host ?names?|hosts?|domains?)\b[^.;]{0,30}?\b(?:doesn't|does not|didn't|did not|won't|can't|cannot|no longer|fails? to|failing to) resolve\b",
    ),
    (
        "hardware",
        1.0,
        r"\bnfs\b|\bsmb\b|\bcifs\b|\bnetwork (?:file ?systems?|shares?|drives?|mounts?)\b|\bstale file handles?\b",
    ),
    (
        "network",
        1.0,
        r"\bpackets? (?:loss|drops?|dropp\w*|reorder\w*|corrupt\w*|truncat\w*|lost|processing)\b|\b(?:dropp\w*|los(?:t|ing)|truncat\w*|reorder\w*) (?:the )?packets?\b",
    ),
    (
        "network",
        1.0,
        r"\bretransmi\w*|\bmtu\b|\bcni\b|\boverlay(?: network)?\b|\bkube-proxy\b|\biptables\b|\bipvs\b|\bcalico\b|\bflannel\b|\bcilium\b",
    ),
    (
        "network",
        1.0,
        r"\b(?:network|latency) (?:spikes?|jitter|blips?|glitch\w*|hiccups?|partitions?|congestion|flakiness|anomal\w*|instability|issues?|problems?|latency|saturation|throughput|slowness|delays?|timeouts?|errors?|failures?|outages?|drops?)\b",
    ),
    (
        "network",
        1.0,
        r"\bjitter\b|\bbandwidth\b|\bloopback\b|\bwi-?fi\b|\bvpn\b|\b(?-i:ISP)\b|\bbgp\b|\bcdn\b|\bthe internet\b|\bservice mesh\b|\bistio\b|\benvoy\b|\blinkerd\b|\bsidecar\b",
    ),
    (
        "network",
        1.0,
        r"\b(?:corporate |transparent |http )?proxy\b(?! (?:object|pattern|class))|\bfirewalls?\b|\bnat (?:gateway|table)s?\b|\bload[- ]balancers?\b|\bsecurity groups?\b",
    ),
    (
        "network",
        1.0,
        r"\btcp (?:connection )?(?:resets?|rsts?)\b|\brst packets?\b|\bhead-of-line blocking\b|\bconnection (?:drops?|flaps?|flakiness|hiccups?|blips?)\b",
    ),
    ("network", 0.7, r"\bnetwork(?:ing)?\b(?![- ]?polic)"),
    # platform: cluster control plane, cloud, CI, container runtime, third parties
    (
        "platform",
        1.0,
        r"\bapi[- ]?server\b|\bkube-apiserver\b|\bcontrol[- ]plane\b|\betcd\b|\bkube-scheduler\b|\bkube-controller-manager\b|\bkubelet\b",
    ),
    (
        "platform",
        1.0,
        r"\bcloud(?: provider)?\b|\b(?-i:AWS|GCP|EKS|GKE|AKS)\b|\bamazon\b|\bgoogle cloud\b|\bazure\b|\bopenshift\b",
    ),
    (
        "platform",
        1.0,
        r"\b(?:regional|region|zonal|zone|provider|cloud) (?:outage|degradation|issues?|problems?)\b|\b(?:region|zone|availability zone)s? (?:is |are |was |may be |might be |seems )?(?:degraded|down|impaired|unhealthy)\b|\boutages?\b",
    ),
    (
        "platform",
        1.0,
        r"\b(?:ci|build|test) (?:infrastructure|infra|runners?|machines?|agents?|workers?|nodes?|servers?|hosts?|platform|system|vms?|box(?:es)?|containers?|pipelines? (?:is|are|was) (?:slow|flaky|overloaded))\b|\bgithub actions\b|\b(?:shared|hosted|self-hosted) (?:runners?|hosts?|machines?|infrastructure)\b|\brunners?\b",
    ),
    (
        "platform",
        1.0,
        r"\bnoisy[- ]neighbou?rs?\b|\bbuildkite\b|\bcircleci\b|\btravis\b|\bjenkins (?:agents?|nodes?|executors?)\b|\bgitlab runners?\b",
    ),
    (
        "platform",
        1.0,
        r"\bdocker (?:daemon|engine|desktop|vm|machine)\b|\bdockerd\b|\bcontainer runtime\b|\bcontainerd\b|\bcri-o\b|\bruntime class\b|\bhypervisor\b|\blive[- ]?migrat\w*|\bspot (?:instances?|nodes?)\b|\bpreemptible\b|\bautoscal\w*",
    ),
    (
        "platform",
        1.0,
        r"\bthe (?:node|nodes|cluster|worker|workers|vm|vms|instance|instances)(?: itself| themselves)? (?:is|are|was|were|being|got|may be|might be|must be|seems to be|appears to be) (?:just |really |very |too |a bit |quite |simply |much )?(?:under|overloaded|slow|slower|busy|saturated|unhealthy|flaky|unstable|throttled|starved|degraded|overcommitted|struggling|swamped|sluggish)\b",
    ),
    (
        "platform",
        1.0,
        r"\b(?:node|cluster)[- ](?:level|pressure|overload|instability|flakiness|slowness)\b|\boverloaded (?:node|cluster|host|runner)s?\b",
    ),
    (
        "platform",
        1.0,
        r"\bapi priority and fairness\b|\bpriority (?:and|&) fairness\b|\b(?-i:APF)\b|\brate[- ]?limit\w*|\bthrottl\w*",
    ),
    (
        "platform",
        1.0,
        r"\bimage pulls?\b|\bpull(?:ing)? (?:the |an |our )?(?:container |docker )?images?\b|\beventual(?:ly)? consisten\w*|\b(?-i:S3|GCS)\b|\bblob storage\b|\b(?:docker|container|image|npm|pypi|maven|package) registry\b|\bdocker ?hub\b|\bpypi\b|\bcrates\.io\b",
    ),
    (
        "platform",
        1.0,
        r"\b(?:third[- ]party|external|remote|partner|vendor) (?:apis?|services?|dependenc\w+|servers?|endpoints?|providers?|systems?)\b|\bthe upstream (?:service|server|api|endpoint)s?\b|\b(?-i:SaaS)\b",
    ),
    (
        "platform",
        1.0,
        r"\b(?:kind|minikube|k3s|k3d|microk8s)(?: cluster| node)? (?:is |being |was |seems )?(?:slow|flaky|unstable|overloaded|sluggish)\b",
    ),
    (
        "platform",
        1.0,
        r"\bvirtuali[sz]ation\b|\bemulat(?:ion|ed|or)\b|\bqemu\b|\brosetta\b|\bhyper-v\b|\bwsl2?\b|\bvirtualbox\b|\bvmware\b|\bfirecracker\b|\bgvisor\b",
    ),
    (
        "platform",
        0.8,
        r"\b(?:kind|minikube|k3s|k3d|microk8s) (?:cluster|node)s?\b|\bsandbox(?:ed)?\b|\bregistry\b|\bthe (?:ci|build) (?:job|run)s? (?:is|are|was|were) (?:slow|flaky|throttled)\b",
    ),
    (
        "platform",
        0.8,
        r"\bkubernetes\b|\bk8s\b|\bgithub\b(?! actions)|\bgitlab\b|\bbitbucket\b|\bthe (?:ci|cluster)\b(?= (?:is|was|seems|may|might|must|being))",
    ),
    (
        "platform",
        0.8,
        r"\b(?:the )?infra(?:structure)?\b|\bthe platform\b|\b(?:memory|cpu|resource) (?:limits?|requests?|quotas?)\b|\bquotas?\b",
    ),
    (
        "platform",
        0.6,
        r"\bthe (?:remote |external |cloud |provider'?s? )?api\b(?![- ]?(?:server|handler|route|key|schema|client|layer|code|test))",
    ),
    # a backing service (database, cache, broker) said to be down: an outside cause that a
    # refused connection or a stopped unit in the output can confirm
    (
        "service",
        1.0,
        r"\b(?:postgres(?:ql)?|mysql|mariadb|redis|mongo(?:db)?|kafka|rabbitmq|elasticsearch|opensearch|memcached|zookeeper|"
        r"the (?:database|db|broker|message broker|cache server))(?:'s)?(?: (?:server|service|instance|container|process|daemon|cluster))? "
        r"(?:(?:is|was|are|were) (?:down|offline|stopped|unreachable|not (?:running|up|listening))|(?:isn't|wasn't|aren't|weren't) (?:running|up|listening))\b",
    ),
    # upstream libraries, runtimes, compilers
    ("upstream", 1.0, r"\bupstream\b(?! (?:service|server|api|endpoint))"),
    # "a bug in date-fns-tz", "a regression in react-dom": a hyphenated package name, not a path or our own piece
    (
        "upstream",
        1.0,
        r"\b(?:bugs?|races?|regressions?|defects?|quirks?|deadlocks?|leaks?) (?:in|inside|within) (?:the )?"
        r"@?[a-z]\w*(?:-[a-z0-9]\w*)+(?!\w|[/.(-]\w|\()"
        r"(?!\s+(?:script|step|job|function|handler|tests?|file|module|config|target|hook|helper|logic|code|class|method))",
    ),
    (
        "upstream",
        1.0,
        r"\b(?:library|dependency|framework|package|sdk|driver|compiler|runtime|interpreter|toolchain|stdlib|standard library|third[- ]party code|vendor(?:ed)? code|plugin)(?:'s)? (?:bugs?|issues?|regressions?|quirks?|problems?|races?|defects?|limitations?|behaviou?r|internals?)\b",
    ),
    (
        "upstream",
        1.0,
        r"\b(?:bugs?|races?|regressions?|defects?|quirks?|deadlocks?|leaks?|issues?) (?:in|inside|within) (?:the )?(?:library|dependency|framework|sdk|driver|compiler|runtime|interpreter|toolchain|stdlib|standard library|third[- ]party|vendored)\b",
    ),
    (
        "upstream",
        1.0,
        r"\bknown (?:bugs?|issues?|races?|regressions?|problems?|limitations?|quirks?)\b(?! (?:in|with) (?:our|my))",
    ),
    (
        "upstream",
        1.0,
        r"\b(?:compiler|jit|interpreter) (?:bugs?|optimi[sz]ations?|miscompil\w*)\b|\bmiscompil\w*|\bjit\b",
    ),
    (
        "upstream",
        1.0,
        r"\bgc (?:pauses?|pressure|stalls?|thrash\w*|cycles?)\b|\bgarbage[- ]collect\w*|\bstop[- ]the[- ]world\b|\b(?-i:GIL)\b|\bglobal interpreter lock\b|\b(?-i:JVM|V8)\b",
    ),
    (
        "upstream",
        1.0,
        r"\bthe (?:go|python|node(?:\.js)?|java|rust|\.net|dotnet|erlang|ruby|beam)(?:'s)? (?:runtime|vm|gc|interpreter|stdlib|standard library)\b",
    ),
    (
        "upstream",
        1.0,
        r"\b(?:breaking change|regression) in (?:the )?(?:latest |new |recent )?(?:v(?:ersion)?\s?)?[\w.-]+|\bin the (?:latest|new|recent) version of\b",
    ),
    (
        "upstream",
        1.0,
        rf"\b(?:bugs?|races?|regressions?|defects?|quirks?|deadlocks?|leaks?|issues?|problems?) (?:in|inside|within) (?:the )?(?:{KNOWN_UPSTREAMS})\b(?! (?:client|code|handler|test) (?:in|we|that we))",
    ),
    (
        "upstream",
        1.0,
        rf"\b(?:{KNOWN_UPSTREAMS})(?:'s)? (?:\w+ ){{0,2}}(?:bugs?|races?|regressions?|quirks?|issues?|problems?|limitations?|deadlocks?|leaks?)\b",
    ),
    (
        "upstream",
        0.8,
        r"\b(?:library|dependency|framework|sdk|driver|compiler|interpreter|toolchain) (?:itself|is buggy|is broken|has a bug)\b",
    ),
    # vague blame: environment, flakiness, chance
    (
        "vague",
        1.0,
        r"\benvironmental\b|\benvironment(?:[- ]related|[- ]specific|[- ]dependent)?\s+(?:issues?|problems?|factors?|timing|flakiness|noise|quirks?|glitch\w*|things?|differences?|hiccups?|variance|variability|instability)\b",
    ),
    (
        "vague",
        1.0,
        r"\b(?:the|this|our|ci|test|build) environment (?:is|was|seems|being|must be|may be|might be) (?:slow|flaky|overloaded|unstable|noisy|busy|weird|sluggish|unreliable|degraded)\b|\bsomething (?:in|about|with) the environment\b|\bit'?s (?:just )?the environment\b",
    ),
    (
        "vague",
        1.0,
        r"\bflak(?:y|iness|ily|es)\b|\bintermittent(?:ly)?\b|\btransient(?:ly)?\b|\bsporadic(?:ally)?\b|\bnon-?deterministic(?:ally)?\b|\bheisenbugs?\b",
    ),
    (
        "vague",
        1.0,
        r"\brandom(?:ly)? (?:failures?|glitch\w*|hiccups?|errors?|timeouts?|slowdowns?|fails?|noise)\b|\bfails? (?:at )?random(?:ly)?\b|\bglitch(?:es|y)?\b|\bhiccups?\b|\bblips?\b|\bflukes?\b|\bgremlins?\b|\bbad luck\b|\bone-off\b|\bspurious(?:ly)?\b",
    ),
    (
        "vague",
        1.0,
        r"\btiming(?:[- ]related|[- ]dependent|[- ]sensitive)?\s+(?:issues?|problems?|glitch\w*|sensitivity|dependen\w+|variance|jitter|noise|quirks?)\b|\btiming-(?:dependent|sensitive|related)\b",
    ),
    (
        "vague",
        1.0,
        r"\bresource (?:contention|starvation|pressure|exhaustion)\b|\bsystem (?:load|noise|jitter|hiccups?|slowness)\b|\bperformance (?:variance|variability|noise)\b|\bact of god\b|\bvoodoo\b",
    ),
    (
        "vague",
        1.0,
        r"\b(?:slow|sluggish|overloaded|busy|flaky|starved|struggling|stale|laggy)\b[^.;:]{0,40}?\bon (?:this|that|the|my|your|a) (?:machine|host|laptop|box|runner|vm|workstation|mac)\b|"
        r"\bload on the (?:machine|host|box|node|runner|system|cluster|ci)\b|\b(?:slow|overloaded|busy|loaded|contended) (?:machine|runners?|ci|hosts?|environment|system|box|nodes?|cluster)\b",
    ),
    (
        "vague",
        1.0,
        r"\b(?:momentar(?:y|ily)|temporar(?:y|ily)|briefly|transiently|occasionally) (?:unavailable|down|slow|overloaded|unreachable|unresponsive|busy|stalled|hung|offline|degraded)\b|\bdown for a (?:moment|second|bit)\b",
    ),
    (
        "vague",
        1.0,
        r"\bsomething (?:in|about|with|on) (?:the |this |our )?(?:[\w-]+ )?(?:environment|sandbox|machine|host|system|setup|infrastructure|infra|platform|runners?|ci|cluster|network)\b",
    ),
    (
        "vague",
        1.0,
        r"\bneeds? (?:more|extra|a bit more|some more) time to (?:settle|warm up|stabili[sz]e|catch up|converge|come up|start up|propagate|sync)\b|\b(?:settle|settling) down\b",
    ),
    (
        "vague",
        0.5,
        r"\bunder (?:heavy |high |this |the |system )?load\b|\b(?:heavy|high|system|cpu) load\b|\bnoise\b|\bsometimes\b",
    ),
)

# Outside words that also name the project's own things, with the context that says so:
# "V8" is the JavaScript engine, but next to migrations it is the eighth schema migration.
# (outside word, fullmatch; context in the sentence that makes it ours)
SHADOWED_OUTSIDE: tuple[tuple[str, str], ...] = (
    (r"(?-i:V\d+)", r"\bmigrat\w*|\bflyway\b|\bliquibase\b|\balembic\b|\bschema\b|\bV\d+__\w+"),
    # "our Helm chart sets the memory limit to 64Mi": the limit is our configuration
    (
        r"(?:memory|cpu|resource) (?:limits?|requests?|quotas?)",
        r"\b(?:our|my)\b[^.;]{0,60}?\b(?:sets?|configures?|specifies|declares?|caps?|pins?|hard-?codes?|gives?)\b"
        r"|\b(?:we|i) (?:set|configured|specified|declared|capped|pinned|hard-?coded|gave)\b",
    ),
)

# Verbs by which an outside cause acts on our code ("the scheduler is starving our goroutine",
# "throttling is delaying our callback"): our code named after one is the victim, not the cause.
VICTIM_VERBS = (
    r"\b(?:delay\w*|starv\w*|throttl\w*|kill\w*|drop\w*|block\w*|preempt\w*|evict\w*|slow\w*|interrupt\w*|"
    r"corrupt\w*|reset\w*|reap\w*|depriorit\w*|paus\w*|stall\w*|hang\w*|hung|terminat\w*|cut\w*|suspend\w*|"
    r"freez\w*|froze\w*|swap\w*|stretch\w*|hold\w*|held|queue\w*|deoptimi\w*|miscompil\w*|reorder\w*)\b"
)

# Phrases that deny the project's code is at fault: they strengthen an outside claim.
DEFLECTIONS: tuple[str, ...] = (
    r"\bnot (?:a|an) (?:code|logic|application|app|implementation|software|product)[- ](?:level )?(?:bug|issue|problem|error|defect|fault)\b",
    r"\bnot (?:a |an )?(?:bug|issue|problem|defect|fault|error) (?:in|with|of) (?:our|my|the) (?:own )?(?:code|logic|implementation|changes?|tests?|app|application|codebase)\b",
    r"\b(?:isn't|is not|wasn't|was not|not|aren't|are not) (?:caused by |due to |related to |because of |from |in )?(?:the |our |my )(?:own )?(?:code|changes?|logic|implementation|fix|patch|codebase)\b",
    r"\b(?:isn't|is not|wasn't|was not|not|aren't|are not) (?:caused by |due to |related to |because of |from |in )?(?:our|my) (?:own )?(?:[\w-]+ )?(?:controller|handler|operator|reconciler|tests?|app|application|service|function|module|client|server|logic|code)\b",
    r"\bnothing (?:wrong )?(?:with|to do with|in) (?:our|my|the) (?:own )?(?:code|changes?|logic|implementation|codebase)\b",
    r"\b(?:our|my|the) (?:own )?(?:code|changes?|logic|implementation|fix|patch) (?:is|was|looks|seems|appears|are) (?:fine|correct|right|ok(?:ay)?|good|sound|innocent|not (?:the )?(?:problem|issue|culprit|cause))\b",
    r"\bunrelated to (?:our|my|the) (?:own )?(?:code|changes?|logic|implementation|fix|patch)\b",
    r"\b(?:outside|beyond) (?:of )?(?:our|my) (?:control|code|codebase)\b|\bnot (?:something )?(?:we|i) can (?:fix|control)\b",
    r"\bnot (?:our|my) (?:fault|bug|problem|doing)\b|\bnot on our (?:side|end)\b",
    r"\brather than (?:anything |something |a bug |an issue |a problem )?(?:in |with )?(?:the|our|my) (?:own )?(?:code|codebase|logic|implementation|tests?|repo|repository|project|changes?)\b",
    r"\bnot (?:anything |something )?(?:in|with) (?:the|our|my) (?:own )?(?:code|codebase|repo|repository|project)\b",
)

# (weight, regex): a cause in the project's own code, configuration or tests.
OWN_CAUSES: tuple[tuple[float, str], ...] = (
    (
        1.0,
        r"\b(?:our|my)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:code|codebase|function|method|handler|tests?|fixtures?|script|config(?:uration)?|reconcile\w*|loop|locks?|mutex|logic|implementation|changes?|fix|patch|helpers?|quer(?:y|ies)|mocks?|schema|migrations?|dockerfile|chart|manifests?|controller|service|app|application|client|server|module|class|struct|regex|parser|setup|teardown|wrapper|retry|middleware|endpoint|route|worker|jobs?|limiter|callback|promise|goroutine|pool|cache|assertions?|build|makefile|entrypoint|image|deployment|values|template|operator|webhook|plugin|program|binary|sql|state machine|algorithm|files?|compose file)\b",
    ),
    (
        1.0,
        r"\b(?:we|i)\s+(?:never|don't|do not|didn't|did not|forgot|forget|missed|miss|introduced|accidentally|mistakenly|wrongly|incorrectly|only|still|always|pass(?:ed)?|call(?:ed)?|wrote|changed|set|use[d]?|return(?:ed)?|read|assume[d]?|hard-?coded|removed|deleted|broke|left|reuse[d]?|skip(?:ped)?|overwrote|misspelled|mixed up)\b",
    ),
    (
        1.0,
        r"\btypos?\b|\boff[- ]by[- ]one\b|\bhard-?coded\b|\bswallow(?:s|ed|ing)?\b|\breturns? early\b|\bearly return\b|\binstead of\b|\bmisspell\w*|\bmixes up\b|\bmixed up\b",
    ),
    (
        1.0,
        r"\bwrong\s+(?:\w+\s+)?(?:order|path|port|directory|dir|selector|key|name|type|value|image|tag|file|url|host(?:name)?|env|variable|argument|arguments|namespace|label|version|import|module|branch|flag|default|unit|endpoint|command|field|index|offset|format|encoding|signature|status|header|method|regex|pattern|context|working directory|database|table|column|container|service|object|pointer|receiver|loop variable)\b",
    ),
    (
        1.0,
        r"\bmissing\s+(?:a\s+|an\s+|the\s+)?[\w$./-]+|\b(?:lacks?|lacking)\b|\bforg(?:ot|et)\b|\bomits?\b|\bomitted\b",
    ),
    (
        1.0,
        r"\bwithout (?:holding|taking|acquiring|awaiting|waiting for|closing|checking|locking|escaping|resetting|flushing|cancel\w*|releasing|quoting)\b|\bin (?:the )?(?:opposite|wrong|reverse|inconsistent) order\b",
    ),
    (
        1.0,
        r"\b(?:nil|null|none) (?:pointer|dereference|reference|check)\b|\buninitiali[sz]ed\b|\bnot thread[- ]safe\b|\bdata race in\b|\brace (?:condition )?in (?:our|my|the) (?:code|handler|loop|tests?|function|reconcile\w*|controller|implementation|logic|fixture|worker|client|server)\b",
    ),
    (
        0.7,
        r"\b(?:the|this|our|my) (?:test|tests|fixture|code|function|handler|script|assertion|check|loop|parser|regex|query|client|controller)s? (?:\w+ )?(?:assumes?|expects?|compares?|reuses?|relies on|depends on|reads?|writes?|uses|calls|skips?|ignores?|overwrites?|races?)\b",
    ),
    (
        0.7,
        r"\bdeadlocks?\b|\bset -e\b|\bpipefail\b|\bstale (?:state|data|cache|value|leader|lock|pointer|reference|closure)\b|\bshadow(?:s|ed|ing)? (?:the|a)\b",
    ),
    (
        0.6,
        r"\bleak(?:s|ing|ed)?\b|\bbug in (?:the |our |my )?(?:code|handler|function|test|fixture|script|logic|loop|reconcile\w*|controller|parser)\b|\brace condition\b",
    ),
)

# (weight, regex): an omission ("is not closed", "never awaited"). It blames our code only
# when the clause's subject is not an outside cause ("the runtime didn't release the port").
OWN_OMISSIONS: tuple[tuple[float, str], ...] = (
    (
        1.0,
        r"\b(?:doesn't|does not|don't|do not|didn't|did not|isn't|is not|aren't|are not|wasn't|was not|never|won't|can't|cannot|fails? to)\s+(?:be\s+)?(?:properly\s+|correctly\s+|actually\s+|ever\s+)?(?:match(?:ing|ed)?|escape[sd]?|reset|close[sd]?|await(?:ed)?|release[sd]?|handle[sd]?|check(?:ed)?|set|export(?:ed)?|call(?:ed)?|appl(?:y|ied)|lock(?:ed)?|unlock(?:ed)?|hold|held|cancel(?:l?ed)?|initiali[sz]e[sd]?|register(?:ed)?|clean(?:ed)?(?: up)?|flush(?:ed)?|mock(?:ed)?|wait for|include[sd]?|propagate the (?:error|context)|executable|listen(?:ing)? on|expose[sd]?|mount(?:ed)?|install(?:ed)?|defined|declared|imported|quote[sd]?|sort(?:ed)?|validate[sd]?|seed(?:ed)?|persist(?:ed)?|commit(?:ted)?|stop(?:ped)?|restore[sd]?|retr(?:y|ied)|tear(?:s)? down|read|configured|applied|sent|pass(?:ed)?|free[sd]?|drain(?:ed)?)\b",
    ),
    (
        0.8,
        r"\bnever\s+(?:\w+ly\s+)?(?:closed|awaited|called|set|applied|reset|flushed|released|cancel+ed|initiali[sz]ed|exported|unlocked|freed|returned|persisted|committed|started|stopped|registered|cleaned|updated|invoked|read|written|created|loaded|imported|mounted|passed|checked|handled|signal+ed|promoted|parsed|generated|installed|defined|drained|joined)\b",
    ),
)

# (weight, regex): code-like tokens. Weak alone; they name our code as the subject.
CODE_TOKENS: tuple[tuple[float, str], ...] = (
    (
        0.6,
        r"`[^`]+`|\b\w+\(\)|(?<![\w-])[a-z]+_[a-z0-9_]+\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[\w/-]+\.(?:py|go|js|ts|tsx|jsx|java|rs|rb|yaml|yml|json|toml|sh|cs|kt|sql|tf)\b",
    ),
)
CODE_NOUNS = (
    r"\b(?:function|method|handler|fixture|script|config|configuration|configmap|chart|manifest|dockerfile|makefile|entrypoint|"
    r"selector|label|probe|env var|environment variable|migration|schema|regex|query|mock|assertion|struct|field|variable|"
    r"constant|argument|parameter|import|promise|callback|channel|mutex|lock|map|cache key|loop|retry loop|helper|tests?|code|"
    r"test suite|goroutine|port|path|key|image tag|tag|reconcile\w*|controller|deployment|values\.yaml|yaml|flag|setting|"
    r"fixture|teardown|setup|spec|template|service|route|endpoint|module|class|interface|closure|iterator|index|counter)\b"
)
CONFIG_NOUNS = (
    r"\b(?:config|configuration|configmap|chart|values|manifest|selector|labels?|port|env var|environment variable|dockerfile|"
    r"image|image tag|tag|entrypoint|working directory|path|probe|yaml|makefile|flag|setting|migration|database|secret|"
    r"permissions?|executable|namespace|service|ingress|volume|mount)\b"
)
TEST_NOUNS = r"\b(?:tests?|fixtures?|assertions?|mocks?|expects?|assumes?|test suite|spec)\b"

HEDGES = (
    r"\b(?:probably|likely|possibly|perhaps|maybe|presumably|apparently|might|may|could|seems?|seemingly|appears?|"
    r"looks like|suspect|i think|i believe|my guess|guess|hunch|must be|would explain|could explain|might explain|"
    r"suggests?|points? to|consistent with|indicative of|plausibl[ey]|conceivabl[ey]|i'd bet|odds are)\b"
)

# Words that, within the clause before an outside cause, deny it.
NEGATORS = (
    r"\b(?:not|no|never|nothing|neither|nor|without|rather than|instead of|rules? out|ruled out|unlikely|excluded?|"
    r"eliminat\w*|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|hardly)\b|n't\b"
)
NOT_NEGATING = r"\b(?:can't|cannot|can not|couldn't|not) (?:fully |completely |yet )?rule out\b|\bnot ruling out\b|\bnot only\b|\bno doubt\b"

# (categories supported, regex): evidence of an infrastructure cause, in a sentence or a tool output.
EVIDENCE: tuple[tuple[str, str], ...] = (
    (
        "kernel platform hardware",
        r"\bOOMKill(?:ed|er)?\b|\bOut of memory: Kill(?:ed)? process\b|\bCUDA (?:error: )?out of memory\b|\bOutOfMemoryError\b|\bCannot allocate memory\b|\bENOMEM\b|\boom-kill\b|\bexit(?:ed)? (?:with )?(?:code|status):? 137\b|(?m:^\s*Killed\s*$)|\bsignal: killed\b|\bSIGKILL\b|\bKilled process \d+",
    ),
    (
        "hardware platform kernel",
        r"no space left on device|\bENOSPC\b|(?:disk |storage )?quota exceeded|\bQuotaExceeded\w*|exceeded (?:your |the |its |our )?(?:\w+ )?quota\b|read-only file system|\bEROFS\b|\bDiskPressure\b|\bErrno 28\b",
    ),
    (
        "platform upstream",
        r"\bHTTP[/ ]?(?:\d(?:\.\d)? )?(?:429|50[0234])\b|\b(?:status|code|returned|returns|got|with)\s*:?\s*(?:429|50[234])\b|Too ?Many ?Requests|Rate exceeded|rate limit exceeded|ThrottlingException|RequestLimitExceeded|(?-i:\bSlowDown\b)|ServiceUnavailable|server is currently unable to handle the request|etcdserver: (?:request timed out|leader changed|too many requests)|client-side throttling|Waited for [\d.]+m?s due to",
    ),
    (
        "platform network",
        r"\bImagePullBackOff\b|\bErrImagePull\b|pull access denied|manifest unknown|pull rate limit",
    ),
    (
        "platform scheduler",
        r"\bFailedScheduling\b|\b\d+/\d+ nodes (?:are )?available\b|\bInsufficient (?:cpu|memory|pods|ephemeral-storage)\b|\bEvicted\b|\bMemoryPressure\b|\bPIDPressure\b|\bNodeNotReady\b|(?-i:\bNotReady\b)|\bnode\(s\) had (?:untolerated )?taint|(?-i:\bPreempted\b)",
    ),
    (
        "network platform",
        r"\bi/o timeout\b|\bdial tcp\b|\bconnect(?:ion)? timed out\b|\b\w*ConnectTimeout\w*|\bSocketTimeoutException\b|connection reset by peer|\bECONNRESET\b|\bETIMEDOUT\b|\bEHOSTUNREACH\b|\bENETUNREACH\b|no route to host|network is unreachable|TLS handshake timeout|\bx509:|certificate (?:has )?expired|CERTIFICATE_VERIFY_FAILED|certificate verify failed|unable to get local issuer certificate|self[- ]signed certificate in certificate chain|\bRead timed out\b|\b\w*ReadTimeout\w*|\bno such host\b|Temporary failure in name resolution|Could not resolve host|\bEAI_AGAIN\b|\bENOTFOUND\b|\bNXDOMAIN\b|\bSERVFAIL\b|\b502 Bad Gateway\b|\b503 Service Unavailable\b|\b504 Gateway Time-?out\b|\b[1-9]\d*(?:\.\d+)?% packet loss\b|\bretransmits?:? [1-9]|\bbroken pipe\b",
    ),
    (
        "kernel",
        r"too many open files|\bEMFILE\b|\bENFILE\b|cannot assign requested address|\bEADDRNOTAVAIL\b|nf_conntrack: table full|soft lockup|hung_task|blocked for more than \d+ seconds|(?-i:\bBUG: )|kernel panic|nr_throttled [1-9]|Resource temporarily unavailable|\bEAGAIN\b",
    ),
    (
        "platform",
        r"exceeded the maximum execution time|\bmaximum execution time of\b|\bjob (?:was )?(?:cancel+ed|terminated) (?:due to|after) (?:a )?time-?out\b",
    ),
    # a refused connection, or the service shown stopped, confirms a service said to be down
    (
        "service",
        r"\bConnection refused\b|\bECONNREFUSED\b|\bIs the server running\b|\binactive \(dead\)|\bCould not connect to [\w-]+ at\b",
    ),
    (
        "service platform",
        r"\bThe connection to the server \S+ was refused\b",
    ),
    (
        "hardware",
        r"Input/output error|(?-i:\bEIO\b)|Machine check|(?-i:\bMCE\b)|ECC error|\bSIGBUS\b|Bus error|I/O error, dev|blk_update_request",
    ),
    (
        "upstream",
        r"github\.com/[\w.-]+/[\w.-]+/(?:issues|pull)/\d+|\bissue #\d+|\bCVE-\d{4}-\d+|\bfixed in (?:v(?:ersion)?\s?)?\d+\.\d+|\bchangelog\b.*\b(?:says|mentions|lists|notes)\b",
    ),
    (
        "kernel platform scheduler",
        r"clock skew detected|clock_gettime|\bntp\b.*\b(?:unsynchroni[sz]ed|offset)\b",
    ),
)

# Output evidence that names a specific resource supports a claim only when the claim is about
# that resource: "No space left on device" confirms "the disk is full" but not "the load
# balancer drops connections", though both are platform causes. Keyed by the categories
# string of the EVIDENCE entry; entries not listed support any claim of their categories.
OUTPUT_EVIDENCE_TOPICS: dict[str, str] = {
    "kernel platform hardware": (
        r"\bmem\w*|\boom\w*|\bram\b|\bkill\w*|\b137\b|\blimits?\b|\bheap\b|\balloc\w*|\bswap\w*|\bpressure\b|"
        r"\bevict\w*|\bresources?\b|\bkernel\b|\bnodes?\b|\bcontainers?\b|\bpods?\b|\bcapacity\b|\bout of\b|\bgpu\b|\bcuda\b"
    ),
    "hardware platform kernel": (
        r"\bdisks?\b|\bspace\b|\bstorage\b|\bvolumes?\b|\bfull\b|\bquotas?\b|\binodes?\b|\bssds?\b|\bfile ?systems?\b|"
        r"\bwrit\w*|\bread-only\b|\bnodes?\b|\brunners?\b|\bmachine\b|\bhost\b|\bout of\b|\bfills?\b|\bpressure\b"
    ),
    "kernel platform scheduler": r"\bclocks?\b|\btime\b|\bntp\b|\bskew\b|\bdrift\b|\bsync\w*",
}

# A measured rate or timing: evidence for a nondeterminism or time-limit claim.
MEASUREMENTS = (
    r"\b(?:\d+|one|once|two|three)\s*(?:time|times|runs?|failures?)?\s*(?:in|of|out of|/)\s*\d+\s*(?:runs?|attempts?|tries|iterations?|executions?)?\b(?=[^%]|$)",
    r"\b(?:only )?with seed \d+|\bseed=\d+|-count[= ]\d+|\breran (?:it )?\d+ times\b|\b\d+/\d+ (?:runs|attempts)\b",
    r"\btook \d+(?:\.\d+)?\s*(?:s|ms|sec|secs|seconds|min|minutes)\b.*\b(?:against|over|under|limit|timeout|budget|deadline)\b",
)
# Citing a source the agent looked at ("kubectl describe shows", "in the kubelet log").
CITATIONS = (
    r"\b(?:kubectl (?:describe|get|logs|events)|dmesg|journalctl|strace|tcpdump|perf|grafana|prometheus|"
    r"(?:the |its |their |[\w-]+'s )?(?:[\w-]+ ){0,2}(?:events?|logs?|output|trace|profile|metrics|timing(?: line)?|status page|stack ?trace|"
    r"error(?: message)?|traceback|dashboard|health ?check|audit log|describe output|conditions?))\b[^.;]{0,40}?\b(?:shows?|showed|"
    r"reports?|reported|says?|said|lists?|listed|contains?|prints?|printed|confirms?|confirmed|records?|ends? with|reads?)\b",
    r"\bas (?:the|shown in the) [\w ]{1,30}? ?(?:shows?|showed|reports?|indicates?)\b|\bin the (?:kubelet |apiserver |system |node )?logs? (?:above|below)\b|\baccording to (?:the )?\w+",
)
# A quoted log or error line (the agent cites what it saw).
QUOTED_ERROR = (
    r"(?:'[^']*|\"[^\"]*|`[^`]*)\b(?:error|failed|failure|denied|received|signal|killed|unavailable|exceeded|timeout|timed out|"
    r"refused|reset|not found|no [a-z]+ available|cannot|unable|panic|fatal|rejected|throttl\w*|evicted|out of)\b[^'\"`]*['\"`]"
)
# Timing facts that support a claim only when no outside cause is blamed.
TIMING_FACTS = (
    r"\btimed out after \d+(?:\.\d+)?\s*(?:ms|s|m|h|sec\w*|min\w*)?(?:\d+s)?|\bexceeded (?:the|its|our) \d+(?:\.\d+)?\s*(?:ms|s|m|h|seconds?|minutes?)",
)

# Claims: words that state a cause. A sentence with one of these (or an outside cause) is an explanation.
CAUSAL_CUES = (
    r"\bbecause\b|\bdue to\b|\bcaused by\b|\bcauses?\b|\broot[- ]cause\b|\bthe (?:issue|problem|culprit|reason|bug|failure|error|cause)"
    r"(?: here)? (?:is|was|seems|appears|lies|comes|must be|might be|could be)\b|\bis why\b|\bthat's why\b|\bwhich (?:is why|explains|means|causes|leads|deadlocks|breaks)\b"
    r"|\bexplains?\b|\bexplained by\b|\bsince\b|\bas a result\b|\bresults? in\b|\bleads? to\b|\bstems? from\b|\bcomes? from\b"
    r"|\bpoints? to\b|\bsuggests?\b|\bindicates?\b|\blikely\b|\bprobably\b|\bpossibly\b|\bperhaps\b|\bmaybe\b|\bmight be\b|\bmay be\b"
    r"|\bcould be\b|\bmust be\b|\bappears? to\b|\bseems?\b|\blooks like\b|\bi think\b|\bi suspect\b|\bi believe\b|\bmy guess\b"
    r"|\bnot a (?:code )?bug\b|\bnot an issue\b|\bblame\w*\b|\battribut\w+\b|\bfault\b|\bconsistent with\b|\bindicative of\b"
    r"|\brather than\b|\bwould explain\b|\bhence\b|\btherefore\b|\bthus\b|\bso (?:the|it|a|we|any|every|each|they|this|that)\b|,\s*so\b"
)
# Trouble words: an outside thing named without one of these (or a causal cue) is described,
# not blamed ("the API server is up").
TROUBLE = (
    r"\b(?:stale|fill(?:s|ed|ing)? up|(?:429|5\d\d)s?|slow\w*|delay\w*|laten\w+|lag\w*|flak\w+|intermittent\w*|transient\w*|sporadic\w*|throttl\w+|rate[- ]?limit\w*|"
    r"drop\w*|lost|loss|los(?:e|ing)|overload\w*|starv\w+|stall\w*|hang\w*|hung|hiccups?|glitch\w*|blips?|issues?|problems?|"
    r"bugs?|buggy|races?|racy|fault\w*|degraded|unavailable|unreachable|unresponsive|time(?:d|s)? ?out|timing|fail\w*|errors?|"
    r"pressure|contention|exhaust\w*|corrupt\w*|reset\w*|evict\w*|kill\w*|crash\w*|preempt\w*|skew|drift\w*|jitter\w*|"
    r"congest\w*|interfer\w+|struggl\w+|busy|saturat\w+|behind|not ready|(?:isn't|wasn't|aren't) ready|warm\w*|settle|cold|"
    r"noisy|sunspots?|cosmic|flips?|quirks?|regression|leak\w*|overflow\w*|truncat\w+|shedding|shed|expir\w+|outages?|"
    r"down|broken|break\w*|misbehav\w+|wrong|weird|odd|strange|heisenbug|nondetermin\w+|non-determin\w+|random\w*|"
    r"full|low on|out of|more time|too (?:slow|long|aggressive)|explain\w*|blame\w*|effect|interfering|(?:under|heavy|high) (?:\w+ )?load|"
    r"(?:is|are|was|were|seems?|looks?|feels?) (?:a bit |slightly |somehow )?off|left-?over)\b"
)
PLAN_STARTS = (
    r"^(?:let me|let's|let us|i'll|i will|i'm going to|i am going to|i need to|i should|we need to|we should|now (?:let|i|we)|"
    r"next,? (?:i|let|we)|first,? (?:i|let|we)|then (?:i|let|we)|running|checking|trying|looking at|next step|to (?:verify|check|confirm)|"
    r"i'd like to|please|could you|can you|shall i|here's|here is|now,? i)\b"
)
