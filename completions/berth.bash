# bash completion for berth (generated from the command definitions; do not edit)
_berth() {
  local cur=${COMP_WORDS[COMP_CWORD]} i w path="" nwords=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in --root|--runroot|--log-level|--storage-driver) ((i++)); continue ;; -*) continue ;; esac
    if [ $nwords -lt 2 ]; then path="${path:+$path }$w"; nwords=$((nwords + 1)); fi
    case $path in container|image|system|volume) ;; *) break ;; esac
  done
  local words flags
  case $path in
    "") words="container create image images info inspect kill login logout ps pull restart rm rmi run start stop system tag unshare version volume wait"; flags="--root --runroot --log-level --storage-driver --debug --help --version" ;;
    "container") words="create inspect kill list ls ps remove restart rm run start stop wait"; flags="--help" ;;
    "image") words="exists inspect list ls prune pull remove rm tag"; flags="--help" ;;
    "system") words="info version"; flags="--help" ;;
    "volume") words=""; flags="--help" ;;
    "system info") words=""; flags="--format --help -f" ;;
    "info") words=""; flags="--format --help -f" ;;
    "inspect") words=""; flags="--format --help --type -f" ;;
    "unshare") words=""; flags="--help" ;;
    "system version") words=""; flags="--format --help -f" ;;
    "version") words=""; flags="--format --help -f" ;;
    "image pull") words=""; flags="--all-tags --authfile --creds --help --platform --quiet --tls-verify -a -q" ;;
    "pull") words=""; flags="--all-tags --authfile --creds --help --platform --quiet --tls-verify -a -q" ;;
    "image ls") words=""; flags="--all --digests --filter --format --help --no-trunc --quiet -a -f -q" ;;
    "image list") words=""; flags="--all --digests --filter --format --help --no-trunc --quiet -a -f -q" ;;
    "images") words=""; flags="--all --digests --filter --format --help --no-trunc --quiet -a -f -q" ;;
    "image inspect") words=""; flags="--format --help -f" ;;
    "image tag") words=""; flags="--help" ;;
    "tag") words=""; flags="--help" ;;
    "image rm") words=""; flags="--force --help -f" ;;
    "image remove") words=""; flags="--force --help -f" ;;
    "rmi") words=""; flags="--force --help -f" ;;
    "image prune") words=""; flags="--all --filter --force --help -a -f" ;;
    "image exists") words=""; flags="--help" ;;
    "login") words=""; flags="--authfile --help --password --password-stdin --tls-verify --username -p -u" ;;
    "logout") words=""; flags="--all --authfile --help -a" ;;
    "container run") words=""; flags="--add-host --annotation --attach --cap-add --cap-drop --detach --detach-keys --dns --dns-option --dns-search --entrypoint --env --env-file --help --hostname --init --interactive --label --mount --name --network --platform --privileged --publish --publish-all --pull --quiet --read-only --replace --restart --rm --security-opt --sig-proxy --stop-signal --stop-timeout --tls-verify --tmpfs --tty --ulimit --user --volume --volumes-from --workdir -P -a -d -e -h -i -l -p -q -t -u -v -w" ;;
    "run") words=""; flags="--add-host --annotation --attach --cap-add --cap-drop --detach --detach-keys --dns --dns-option --dns-search --entrypoint --env --env-file --help --hostname --init --interactive --label --mount --name --network --platform --privileged --publish --publish-all --pull --quiet --read-only --replace --restart --rm --security-opt --sig-proxy --stop-signal --stop-timeout --tls-verify --tmpfs --tty --ulimit --user --volume --volumes-from --workdir -P -a -d -e -h -i -l -p -q -t -u -v -w" ;;
    "container create") words=""; flags="--add-host --annotation --cap-add --cap-drop --dns --dns-option --dns-search --entrypoint --env --env-file --help --hostname --init --interactive --label --mount --name --network --platform --privileged --publish --publish-all --pull --quiet --read-only --replace --restart --rm --security-opt --stop-signal --stop-timeout --tls-verify --tmpfs --tty --ulimit --user --volume --volumes-from --workdir -P -e -h -i -l -p -q -t -u -v -w" ;;
    "create") words=""; flags="--add-host --annotation --cap-add --cap-drop --dns --dns-option --dns-search --entrypoint --env --env-file --help --hostname --init --interactive --label --mount --name --network --platform --privileged --publish --publish-all --pull --quiet --read-only --replace --restart --rm --security-opt --stop-signal --stop-timeout --tls-verify --tmpfs --tty --ulimit --user --volume --volumes-from --workdir -P -e -h -i -l -p -q -t -u -v -w" ;;
    "container start") words=""; flags="--attach --detach-keys --help --interactive --sig-proxy -a -i" ;;
    "start") words=""; flags="--attach --detach-keys --help --interactive --sig-proxy -a -i" ;;
    "container stop") words=""; flags="--help --time -t" ;;
    "stop") words=""; flags="--help --time -t" ;;
    "container restart") words=""; flags="--help --time -t" ;;
    "restart") words=""; flags="--help --time -t" ;;
    "container kill") words=""; flags="--help --signal -s" ;;
    "kill") words=""; flags="--help --signal -s" ;;
    "container rm") words=""; flags="--force --help --volumes -f -v" ;;
    "container remove") words=""; flags="--force --help --volumes -f -v" ;;
    "rm") words=""; flags="--force --help --volumes -f -v" ;;
    "container ls") words=""; flags="--all --filter --format --help --last --latest --no-trunc --quiet -a -f -l -n -q" ;;
    "container list") words=""; flags="--all --filter --format --help --last --latest --no-trunc --quiet -a -f -l -n -q" ;;
    "container ps") words=""; flags="--all --filter --format --help --last --latest --no-trunc --quiet -a -f -l -n -q" ;;
    "ps") words=""; flags="--all --filter --format --help --last --latest --no-trunc --quiet -a -f -l -n -q" ;;
    "container inspect") words=""; flags="--format --help -f" ;;
    "container wait") words=""; flags="--help" ;;
    "wait") words=""; flags="--help" ;;
    *) words=""; flags="" ;;
  esac
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [ -n "$words" ]; then COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F _berth berth
