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
    "") words="attach commit container cp create diff exec export image images import info inspect kill login logout logs mount pause port ps pull rename restart rm rmi run start stop system tag top umount unmount unpause unshare version volume wait"; flags="--root --runroot --log-level --storage-driver --debug --help --version" ;;
    "container") words="attach commit cp create diff exec exists export inspect kill list logs ls mount pause port prune ps remove rename restart rm run start stop top umount unmount unpause wait"; flags="--help" ;;
    "image") words="exists import inspect list ls prune pull remove rm tag"; flags="--help" ;;
    "system") words="info version"; flags="--help" ;;
    "volume") words="create exists inspect list ls prune remove rm"; flags="--help" ;;
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
    "container logs") words=""; flags="--follow --help --since --tail --timestamps --until -f -n -t" ;;
    "logs") words=""; flags="--follow --help --since --tail --timestamps --until -f -n -t" ;;
    "container exec") words=""; flags="--detach --env --env-file --help --interactive --tty --user --workdir -d -e -i -t -u -w" ;;
    "exec") words=""; flags="--detach --env --env-file --help --interactive --tty --user --workdir -d -e -i -t -u -w" ;;
    "container attach") words=""; flags="--detach-keys --help --no-stdin --sig-proxy" ;;
    "attach") words=""; flags="--detach-keys --help --no-stdin --sig-proxy" ;;
    "container top") words=""; flags="--help" ;;
    "top") words=""; flags="--help" ;;
    "container rename") words=""; flags="--help" ;;
    "rename") words=""; flags="--help" ;;
    "container pause") words=""; flags="--help" ;;
    "pause") words=""; flags="--help" ;;
    "container unpause") words=""; flags="--help" ;;
    "unpause") words=""; flags="--help" ;;
    "container prune") words=""; flags="--filter --force --help -f" ;;
    "container exists") words=""; flags="--help" ;;
    "container port") words=""; flags="--help" ;;
    "port") words=""; flags="--help" ;;
    "container cp") words=""; flags="--archive --follow-link --help -L -a" ;;
    "cp") words=""; flags="--archive --follow-link --help -L -a" ;;
    "container diff") words=""; flags="--format --help" ;;
    "diff") words=""; flags="--format --help" ;;
    "container commit") words=""; flags="--author --change --help --message --pause -a -c -m -p" ;;
    "commit") words=""; flags="--author --change --help --message --pause -a -c -m -p" ;;
    "container export") words=""; flags="--help --output -o" ;;
    "export") words=""; flags="--help --output -o" ;;
    "container mount") words=""; flags="--help" ;;
    "mount") words=""; flags="--help" ;;
    "container unmount") words=""; flags="--force --help -f" ;;
    "container umount") words=""; flags="--force --help -f" ;;
    "unmount") words=""; flags="--force --help -f" ;;
    "umount") words=""; flags="--force --help -f" ;;
    "image import") words=""; flags="--change --help --message -c -m" ;;
    "import") words=""; flags="--change --help --message -c -m" ;;
    "volume create") words=""; flags="--driver --help --label --opt -d -l -o" ;;
    "volume ls") words=""; flags="--filter --format --help --quiet -f -q" ;;
    "volume list") words=""; flags="--filter --format --help --quiet -f -q" ;;
    "volume inspect") words=""; flags="--format --help -f" ;;
    "volume rm") words=""; flags="--force --help -f" ;;
    "volume remove") words=""; flags="--force --help -f" ;;
    "volume prune") words=""; flags="--all --filter --force --help -a -f" ;;
    "volume exists") words=""; flags="--help" ;;
    *) words=""; flags="" ;;
  esac
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [ -n "$words" ]; then COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F _berth berth
