# fish completion for berth (generated from the command definitions; do not edit)
complete -c berth -f
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a container -d 'Manage containers'
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a image -d 'Manage images'
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a system -d 'Manage berth'
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a volume -d 'Manage volumes'
complete -c berth -n '__fish_seen_subcommand_from system; and not __fish_seen_subcommand_from info version' -a info -d 'Display host facts for debugging a rootless setup'
complete -c berth -n '__fish_seen_subcommand_from info' -l format -r
complete -c berth -n '__fish_seen_subcommand_from info' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a info -d 'Display host facts for debugging a rootless setup'
complete -c berth -n '__fish_seen_subcommand_from info' -l format -r
complete -c berth -n '__fish_seen_subcommand_from info' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a inspect -d 'Return low-level information on containers or images'
complete -c berth -n '__fish_seen_subcommand_from inspect' -l format -r
complete -c berth -n '__fish_seen_subcommand_from inspect' -l help
complete -c berth -n '__fish_seen_subcommand_from inspect' -l type -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a unshare -d 'Run a command in berth\'s user and mount namespace (rootless), to inspect the store'
complete -c berth -n '__fish_seen_subcommand_from unshare' -l help
complete -c berth -n '__fish_seen_subcommand_from system; and not __fish_seen_subcommand_from info version' -a version -d 'Show version information'
complete -c berth -n '__fish_seen_subcommand_from version' -l format -r
complete -c berth -n '__fish_seen_subcommand_from version' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a version -d 'Show version information'
complete -c berth -n '__fish_seen_subcommand_from version' -l format -r
complete -c berth -n '__fish_seen_subcommand_from version' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a pull -d 'Download an image from a registry'
complete -c berth -n '__fish_seen_subcommand_from pull' -l all-tags
complete -c berth -n '__fish_seen_subcommand_from pull' -l authfile -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l creds -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l help
complete -c berth -n '__fish_seen_subcommand_from pull' -l platform -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l quiet
complete -c berth -n '__fish_seen_subcommand_from pull' -l tls-verify
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a pull -d 'Download an image from a registry'
complete -c berth -n '__fish_seen_subcommand_from pull' -l all-tags
complete -c berth -n '__fish_seen_subcommand_from pull' -l authfile -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l creds -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l help
complete -c berth -n '__fish_seen_subcommand_from pull' -l platform -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l quiet
complete -c berth -n '__fish_seen_subcommand_from pull' -l tls-verify
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a ls -d 'List images'
complete -c berth -n '__fish_seen_subcommand_from ls' -l all
complete -c berth -n '__fish_seen_subcommand_from ls' -l digests
complete -c berth -n '__fish_seen_subcommand_from ls' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l help
complete -c berth -n '__fish_seen_subcommand_from ls' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from ls' -l quiet
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a list -d 'List images'
complete -c berth -n '__fish_seen_subcommand_from list' -l all
complete -c berth -n '__fish_seen_subcommand_from list' -l digests
complete -c berth -n '__fish_seen_subcommand_from list' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from list' -l format -r
complete -c berth -n '__fish_seen_subcommand_from list' -l help
complete -c berth -n '__fish_seen_subcommand_from list' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from list' -l quiet
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a images -d 'List images'
complete -c berth -n '__fish_seen_subcommand_from images' -l all
complete -c berth -n '__fish_seen_subcommand_from images' -l digests
complete -c berth -n '__fish_seen_subcommand_from images' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from images' -l format -r
complete -c berth -n '__fish_seen_subcommand_from images' -l help
complete -c berth -n '__fish_seen_subcommand_from images' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from images' -l quiet
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a inspect -d 'Display detailed information on one or more images'
complete -c berth -n '__fish_seen_subcommand_from inspect' -l format -r
complete -c berth -n '__fish_seen_subcommand_from inspect' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a tag -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n '__fish_seen_subcommand_from tag' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a tag -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n '__fish_seen_subcommand_from tag' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a rm -d 'Remove one or more images'
complete -c berth -n '__fish_seen_subcommand_from rm' -l force
complete -c berth -n '__fish_seen_subcommand_from rm' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a remove -d 'Remove one or more images'
complete -c berth -n '__fish_seen_subcommand_from remove' -l force
complete -c berth -n '__fish_seen_subcommand_from remove' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a rmi -d 'Remove one or more images'
complete -c berth -n '__fish_seen_subcommand_from rmi' -l force
complete -c berth -n '__fish_seen_subcommand_from rmi' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a prune -d 'Remove unused images'
complete -c berth -n '__fish_seen_subcommand_from prune' -l all
complete -c berth -n '__fish_seen_subcommand_from prune' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from prune' -l force
complete -c berth -n '__fish_seen_subcommand_from prune' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists' -a exists -d 'Check if an image exists in local storage (exit 0 if it does, 1 if not)'
complete -c berth -n '__fish_seen_subcommand_from exists' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a login -d 'Log in to a container registry'
complete -c berth -n '__fish_seen_subcommand_from login' -l authfile -r
complete -c berth -n '__fish_seen_subcommand_from login' -l help
complete -c berth -n '__fish_seen_subcommand_from login' -l password -r
complete -c berth -n '__fish_seen_subcommand_from login' -l password-stdin
complete -c berth -n '__fish_seen_subcommand_from login' -l tls-verify
complete -c berth -n '__fish_seen_subcommand_from login' -l username -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a logout -d 'Log out of a container registry'
complete -c berth -n '__fish_seen_subcommand_from logout' -l all
complete -c berth -n '__fish_seen_subcommand_from logout' -l authfile -r
complete -c berth -n '__fish_seen_subcommand_from logout' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a run -d 'Run a command in a new container'
complete -c berth -n '__fish_seen_subcommand_from run' -l add-host -r
complete -c berth -n '__fish_seen_subcommand_from run' -l annotation -r
complete -c berth -n '__fish_seen_subcommand_from run' -l attach -r
complete -c berth -n '__fish_seen_subcommand_from run' -l cap-add -r
complete -c berth -n '__fish_seen_subcommand_from run' -l cap-drop -r
complete -c berth -n '__fish_seen_subcommand_from run' -l detach
complete -c berth -n '__fish_seen_subcommand_from run' -l detach-keys -r
complete -c berth -n '__fish_seen_subcommand_from run' -l dns -r
complete -c berth -n '__fish_seen_subcommand_from run' -l dns-option -r
complete -c berth -n '__fish_seen_subcommand_from run' -l dns-search -r
complete -c berth -n '__fish_seen_subcommand_from run' -l entrypoint -r
complete -c berth -n '__fish_seen_subcommand_from run' -l env -r
complete -c berth -n '__fish_seen_subcommand_from run' -l env-file -r
complete -c berth -n '__fish_seen_subcommand_from run' -l help
complete -c berth -n '__fish_seen_subcommand_from run' -l hostname -r
complete -c berth -n '__fish_seen_subcommand_from run' -l init
complete -c berth -n '__fish_seen_subcommand_from run' -l interactive
complete -c berth -n '__fish_seen_subcommand_from run' -l label -r
complete -c berth -n '__fish_seen_subcommand_from run' -l mount -r
complete -c berth -n '__fish_seen_subcommand_from run' -l name -r
complete -c berth -n '__fish_seen_subcommand_from run' -l network -r
complete -c berth -n '__fish_seen_subcommand_from run' -l platform -r
complete -c berth -n '__fish_seen_subcommand_from run' -l privileged
complete -c berth -n '__fish_seen_subcommand_from run' -l publish -r
complete -c berth -n '__fish_seen_subcommand_from run' -l publish-all
complete -c berth -n '__fish_seen_subcommand_from run' -l pull -r
complete -c berth -n '__fish_seen_subcommand_from run' -l quiet
complete -c berth -n '__fish_seen_subcommand_from run' -l read-only
complete -c berth -n '__fish_seen_subcommand_from run' -l replace
complete -c berth -n '__fish_seen_subcommand_from run' -l restart -r
complete -c berth -n '__fish_seen_subcommand_from run' -l rm
complete -c berth -n '__fish_seen_subcommand_from run' -l security-opt -r
complete -c berth -n '__fish_seen_subcommand_from run' -l sig-proxy
complete -c berth -n '__fish_seen_subcommand_from run' -l stop-signal -r
complete -c berth -n '__fish_seen_subcommand_from run' -l stop-timeout -r
complete -c berth -n '__fish_seen_subcommand_from run' -l tls-verify
complete -c berth -n '__fish_seen_subcommand_from run' -l tmpfs -r
complete -c berth -n '__fish_seen_subcommand_from run' -l tty
complete -c berth -n '__fish_seen_subcommand_from run' -l ulimit -r
complete -c berth -n '__fish_seen_subcommand_from run' -l user -r
complete -c berth -n '__fish_seen_subcommand_from run' -l volume -r
complete -c berth -n '__fish_seen_subcommand_from run' -l volumes-from -r
complete -c berth -n '__fish_seen_subcommand_from run' -l workdir -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a run -d 'Run a command in a new container'
complete -c berth -n '__fish_seen_subcommand_from run' -l add-host -r
complete -c berth -n '__fish_seen_subcommand_from run' -l annotation -r
complete -c berth -n '__fish_seen_subcommand_from run' -l attach -r
complete -c berth -n '__fish_seen_subcommand_from run' -l cap-add -r
complete -c berth -n '__fish_seen_subcommand_from run' -l cap-drop -r
complete -c berth -n '__fish_seen_subcommand_from run' -l detach
complete -c berth -n '__fish_seen_subcommand_from run' -l detach-keys -r
complete -c berth -n '__fish_seen_subcommand_from run' -l dns -r
complete -c berth -n '__fish_seen_subcommand_from run' -l dns-option -r
complete -c berth -n '__fish_seen_subcommand_from run' -l dns-search -r
complete -c berth -n '__fish_seen_subcommand_from run' -l entrypoint -r
complete -c berth -n '__fish_seen_subcommand_from run' -l env -r
complete -c berth -n '__fish_seen_subcommand_from run' -l env-file -r
complete -c berth -n '__fish_seen_subcommand_from run' -l help
complete -c berth -n '__fish_seen_subcommand_from run' -l hostname -r
complete -c berth -n '__fish_seen_subcommand_from run' -l init
complete -c berth -n '__fish_seen_subcommand_from run' -l interactive
complete -c berth -n '__fish_seen_subcommand_from run' -l label -r
complete -c berth -n '__fish_seen_subcommand_from run' -l mount -r
complete -c berth -n '__fish_seen_subcommand_from run' -l name -r
complete -c berth -n '__fish_seen_subcommand_from run' -l network -r
complete -c berth -n '__fish_seen_subcommand_from run' -l platform -r
complete -c berth -n '__fish_seen_subcommand_from run' -l privileged
complete -c berth -n '__fish_seen_subcommand_from run' -l publish -r
complete -c berth -n '__fish_seen_subcommand_from run' -l publish-all
complete -c berth -n '__fish_seen_subcommand_from run' -l pull -r
complete -c berth -n '__fish_seen_subcommand_from run' -l quiet
complete -c berth -n '__fish_seen_subcommand_from run' -l read-only
complete -c berth -n '__fish_seen_subcommand_from run' -l replace
complete -c berth -n '__fish_seen_subcommand_from run' -l restart -r
complete -c berth -n '__fish_seen_subcommand_from run' -l rm
complete -c berth -n '__fish_seen_subcommand_from run' -l security-opt -r
complete -c berth -n '__fish_seen_subcommand_from run' -l sig-proxy
complete -c berth -n '__fish_seen_subcommand_from run' -l stop-signal -r
complete -c berth -n '__fish_seen_subcommand_from run' -l stop-timeout -r
complete -c berth -n '__fish_seen_subcommand_from run' -l tls-verify
complete -c berth -n '__fish_seen_subcommand_from run' -l tmpfs -r
complete -c berth -n '__fish_seen_subcommand_from run' -l tty
complete -c berth -n '__fish_seen_subcommand_from run' -l ulimit -r
complete -c berth -n '__fish_seen_subcommand_from run' -l user -r
complete -c berth -n '__fish_seen_subcommand_from run' -l volume -r
complete -c berth -n '__fish_seen_subcommand_from run' -l volumes-from -r
complete -c berth -n '__fish_seen_subcommand_from run' -l workdir -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a create -d 'Create a new container'
complete -c berth -n '__fish_seen_subcommand_from create' -l add-host -r
complete -c berth -n '__fish_seen_subcommand_from create' -l annotation -r
complete -c berth -n '__fish_seen_subcommand_from create' -l cap-add -r
complete -c berth -n '__fish_seen_subcommand_from create' -l cap-drop -r
complete -c berth -n '__fish_seen_subcommand_from create' -l dns -r
complete -c berth -n '__fish_seen_subcommand_from create' -l dns-option -r
complete -c berth -n '__fish_seen_subcommand_from create' -l dns-search -r
complete -c berth -n '__fish_seen_subcommand_from create' -l entrypoint -r
complete -c berth -n '__fish_seen_subcommand_from create' -l env -r
complete -c berth -n '__fish_seen_subcommand_from create' -l env-file -r
complete -c berth -n '__fish_seen_subcommand_from create' -l help
complete -c berth -n '__fish_seen_subcommand_from create' -l hostname -r
complete -c berth -n '__fish_seen_subcommand_from create' -l init
complete -c berth -n '__fish_seen_subcommand_from create' -l interactive
complete -c berth -n '__fish_seen_subcommand_from create' -l label -r
complete -c berth -n '__fish_seen_subcommand_from create' -l mount -r
complete -c berth -n '__fish_seen_subcommand_from create' -l name -r
complete -c berth -n '__fish_seen_subcommand_from create' -l network -r
complete -c berth -n '__fish_seen_subcommand_from create' -l platform -r
complete -c berth -n '__fish_seen_subcommand_from create' -l privileged
complete -c berth -n '__fish_seen_subcommand_from create' -l publish -r
complete -c berth -n '__fish_seen_subcommand_from create' -l publish-all
complete -c berth -n '__fish_seen_subcommand_from create' -l pull -r
complete -c berth -n '__fish_seen_subcommand_from create' -l quiet
complete -c berth -n '__fish_seen_subcommand_from create' -l read-only
complete -c berth -n '__fish_seen_subcommand_from create' -l replace
complete -c berth -n '__fish_seen_subcommand_from create' -l restart -r
complete -c berth -n '__fish_seen_subcommand_from create' -l rm
complete -c berth -n '__fish_seen_subcommand_from create' -l security-opt -r
complete -c berth -n '__fish_seen_subcommand_from create' -l stop-signal -r
complete -c berth -n '__fish_seen_subcommand_from create' -l stop-timeout -r
complete -c berth -n '__fish_seen_subcommand_from create' -l tls-verify
complete -c berth -n '__fish_seen_subcommand_from create' -l tmpfs -r
complete -c berth -n '__fish_seen_subcommand_from create' -l tty
complete -c berth -n '__fish_seen_subcommand_from create' -l ulimit -r
complete -c berth -n '__fish_seen_subcommand_from create' -l user -r
complete -c berth -n '__fish_seen_subcommand_from create' -l volume -r
complete -c berth -n '__fish_seen_subcommand_from create' -l volumes-from -r
complete -c berth -n '__fish_seen_subcommand_from create' -l workdir -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a create -d 'Create a new container'
complete -c berth -n '__fish_seen_subcommand_from create' -l add-host -r
complete -c berth -n '__fish_seen_subcommand_from create' -l annotation -r
complete -c berth -n '__fish_seen_subcommand_from create' -l cap-add -r
complete -c berth -n '__fish_seen_subcommand_from create' -l cap-drop -r
complete -c berth -n '__fish_seen_subcommand_from create' -l dns -r
complete -c berth -n '__fish_seen_subcommand_from create' -l dns-option -r
complete -c berth -n '__fish_seen_subcommand_from create' -l dns-search -r
complete -c berth -n '__fish_seen_subcommand_from create' -l entrypoint -r
complete -c berth -n '__fish_seen_subcommand_from create' -l env -r
complete -c berth -n '__fish_seen_subcommand_from create' -l env-file -r
complete -c berth -n '__fish_seen_subcommand_from create' -l help
complete -c berth -n '__fish_seen_subcommand_from create' -l hostname -r
complete -c berth -n '__fish_seen_subcommand_from create' -l init
complete -c berth -n '__fish_seen_subcommand_from create' -l interactive
complete -c berth -n '__fish_seen_subcommand_from create' -l label -r
complete -c berth -n '__fish_seen_subcommand_from create' -l mount -r
complete -c berth -n '__fish_seen_subcommand_from create' -l name -r
complete -c berth -n '__fish_seen_subcommand_from create' -l network -r
complete -c berth -n '__fish_seen_subcommand_from create' -l platform -r
complete -c berth -n '__fish_seen_subcommand_from create' -l privileged
complete -c berth -n '__fish_seen_subcommand_from create' -l publish -r
complete -c berth -n '__fish_seen_subcommand_from create' -l publish-all
complete -c berth -n '__fish_seen_subcommand_from create' -l pull -r
complete -c berth -n '__fish_seen_subcommand_from create' -l quiet
complete -c berth -n '__fish_seen_subcommand_from create' -l read-only
complete -c berth -n '__fish_seen_subcommand_from create' -l replace
complete -c berth -n '__fish_seen_subcommand_from create' -l restart -r
complete -c berth -n '__fish_seen_subcommand_from create' -l rm
complete -c berth -n '__fish_seen_subcommand_from create' -l security-opt -r
complete -c berth -n '__fish_seen_subcommand_from create' -l stop-signal -r
complete -c berth -n '__fish_seen_subcommand_from create' -l stop-timeout -r
complete -c berth -n '__fish_seen_subcommand_from create' -l tls-verify
complete -c berth -n '__fish_seen_subcommand_from create' -l tmpfs -r
complete -c berth -n '__fish_seen_subcommand_from create' -l tty
complete -c berth -n '__fish_seen_subcommand_from create' -l ulimit -r
complete -c berth -n '__fish_seen_subcommand_from create' -l user -r
complete -c berth -n '__fish_seen_subcommand_from create' -l volume -r
complete -c berth -n '__fish_seen_subcommand_from create' -l volumes-from -r
complete -c berth -n '__fish_seen_subcommand_from create' -l workdir -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a start -d 'Start one or more stopped containers'
complete -c berth -n '__fish_seen_subcommand_from start' -l attach
complete -c berth -n '__fish_seen_subcommand_from start' -l detach-keys -r
complete -c berth -n '__fish_seen_subcommand_from start' -l help
complete -c berth -n '__fish_seen_subcommand_from start' -l interactive
complete -c berth -n '__fish_seen_subcommand_from start' -l sig-proxy
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a start -d 'Start one or more stopped containers'
complete -c berth -n '__fish_seen_subcommand_from start' -l attach
complete -c berth -n '__fish_seen_subcommand_from start' -l detach-keys -r
complete -c berth -n '__fish_seen_subcommand_from start' -l help
complete -c berth -n '__fish_seen_subcommand_from start' -l interactive
complete -c berth -n '__fish_seen_subcommand_from start' -l sig-proxy
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a stop -d 'Stop one or more running containers'
complete -c berth -n '__fish_seen_subcommand_from stop' -l help
complete -c berth -n '__fish_seen_subcommand_from stop' -l time -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a stop -d 'Stop one or more running containers'
complete -c berth -n '__fish_seen_subcommand_from stop' -l help
complete -c berth -n '__fish_seen_subcommand_from stop' -l time -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a restart -d 'Restart one or more containers'
complete -c berth -n '__fish_seen_subcommand_from restart' -l help
complete -c berth -n '__fish_seen_subcommand_from restart' -l time -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a restart -d 'Restart one or more containers'
complete -c berth -n '__fish_seen_subcommand_from restart' -l help
complete -c berth -n '__fish_seen_subcommand_from restart' -l time -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a kill -d 'Kill one or more running containers'
complete -c berth -n '__fish_seen_subcommand_from kill' -l help
complete -c berth -n '__fish_seen_subcommand_from kill' -l signal -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a kill -d 'Kill one or more running containers'
complete -c berth -n '__fish_seen_subcommand_from kill' -l help
complete -c berth -n '__fish_seen_subcommand_from kill' -l signal -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a rm -d 'Remove one or more containers'
complete -c berth -n '__fish_seen_subcommand_from rm' -l force
complete -c berth -n '__fish_seen_subcommand_from rm' -l help
complete -c berth -n '__fish_seen_subcommand_from rm' -l volumes
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a remove -d 'Remove one or more containers'
complete -c berth -n '__fish_seen_subcommand_from remove' -l force
complete -c berth -n '__fish_seen_subcommand_from remove' -l help
complete -c berth -n '__fish_seen_subcommand_from remove' -l volumes
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a rm -d 'Remove one or more containers'
complete -c berth -n '__fish_seen_subcommand_from rm' -l force
complete -c berth -n '__fish_seen_subcommand_from rm' -l help
complete -c berth -n '__fish_seen_subcommand_from rm' -l volumes
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a ls -d 'List containers'
complete -c berth -n '__fish_seen_subcommand_from ls' -l all
complete -c berth -n '__fish_seen_subcommand_from ls' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l help
complete -c berth -n '__fish_seen_subcommand_from ls' -l last -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l latest
complete -c berth -n '__fish_seen_subcommand_from ls' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from ls' -l quiet
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a list -d 'List containers'
complete -c berth -n '__fish_seen_subcommand_from list' -l all
complete -c berth -n '__fish_seen_subcommand_from list' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from list' -l format -r
complete -c berth -n '__fish_seen_subcommand_from list' -l help
complete -c berth -n '__fish_seen_subcommand_from list' -l last -r
complete -c berth -n '__fish_seen_subcommand_from list' -l latest
complete -c berth -n '__fish_seen_subcommand_from list' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from list' -l quiet
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a ps -d 'List containers'
complete -c berth -n '__fish_seen_subcommand_from ps' -l all
complete -c berth -n '__fish_seen_subcommand_from ps' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l help
complete -c berth -n '__fish_seen_subcommand_from ps' -l last -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l latest
complete -c berth -n '__fish_seen_subcommand_from ps' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from ps' -l quiet
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a ps -d 'List containers'
complete -c berth -n '__fish_seen_subcommand_from ps' -l all
complete -c berth -n '__fish_seen_subcommand_from ps' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l help
complete -c berth -n '__fish_seen_subcommand_from ps' -l last -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l latest
complete -c berth -n '__fish_seen_subcommand_from ps' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from ps' -l quiet
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a inspect -d 'Display detailed information on one or more containers'
complete -c berth -n '__fish_seen_subcommand_from inspect' -l format -r
complete -c berth -n '__fish_seen_subcommand_from inspect' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait' -a wait -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n '__fish_seen_subcommand_from wait' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait' -a wait -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n '__fish_seen_subcommand_from wait' -l help
