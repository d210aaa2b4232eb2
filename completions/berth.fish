# fish completion for berth (generated from the command definitions; do not edit)
complete -c berth -f
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a container -d 'Manage containers'
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a image -d 'Manage images'
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a system -d 'Manage berth'
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a volume -d 'Manage volumes'
complete -c berth -n '__fish_seen_subcommand_from system; and not __fish_seen_subcommand_from info version' -a info -d 'Display host facts for debugging a rootless setup'
complete -c berth -n '__fish_seen_subcommand_from info' -l format -r
complete -c berth -n '__fish_seen_subcommand_from info' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a info -d 'Display host facts for debugging a rootless setup'
complete -c berth -n '__fish_seen_subcommand_from info' -l format -r
complete -c berth -n '__fish_seen_subcommand_from info' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a inspect -d 'Return low-level information on containers or images'
complete -c berth -n '__fish_seen_subcommand_from inspect' -l format -r
complete -c berth -n '__fish_seen_subcommand_from inspect' -l help
complete -c berth -n '__fish_seen_subcommand_from inspect' -l type -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a unshare -d 'Run a command in berth\'s user and mount namespace (rootless), to inspect the store'
complete -c berth -n '__fish_seen_subcommand_from unshare' -l help
complete -c berth -n '__fish_seen_subcommand_from system; and not __fish_seen_subcommand_from info version' -a version -d 'Show version information'
complete -c berth -n '__fish_seen_subcommand_from version' -l format -r
complete -c berth -n '__fish_seen_subcommand_from version' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a version -d 'Show version information'
complete -c berth -n '__fish_seen_subcommand_from version' -l format -r
complete -c berth -n '__fish_seen_subcommand_from version' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a pull -d 'Download an image from a registry'
complete -c berth -n '__fish_seen_subcommand_from pull' -l all-tags
complete -c berth -n '__fish_seen_subcommand_from pull' -l authfile -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l creds -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l help
complete -c berth -n '__fish_seen_subcommand_from pull' -l platform -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l quiet
complete -c berth -n '__fish_seen_subcommand_from pull' -l tls-verify
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a pull -d 'Download an image from a registry'
complete -c berth -n '__fish_seen_subcommand_from pull' -l all-tags
complete -c berth -n '__fish_seen_subcommand_from pull' -l authfile -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l creds -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l help
complete -c berth -n '__fish_seen_subcommand_from pull' -l platform -r
complete -c berth -n '__fish_seen_subcommand_from pull' -l quiet
complete -c berth -n '__fish_seen_subcommand_from pull' -l tls-verify
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a ls -d 'List images'
complete -c berth -n '__fish_seen_subcommand_from ls' -l all
complete -c berth -n '__fish_seen_subcommand_from ls' -l digests
complete -c berth -n '__fish_seen_subcommand_from ls' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l help
complete -c berth -n '__fish_seen_subcommand_from ls' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from ls' -l quiet
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a list -d 'List images'
complete -c berth -n '__fish_seen_subcommand_from list' -l all
complete -c berth -n '__fish_seen_subcommand_from list' -l digests
complete -c berth -n '__fish_seen_subcommand_from list' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from list' -l format -r
complete -c berth -n '__fish_seen_subcommand_from list' -l help
complete -c berth -n '__fish_seen_subcommand_from list' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from list' -l quiet
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a images -d 'List images'
complete -c berth -n '__fish_seen_subcommand_from images' -l all
complete -c berth -n '__fish_seen_subcommand_from images' -l digests
complete -c berth -n '__fish_seen_subcommand_from images' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from images' -l format -r
complete -c berth -n '__fish_seen_subcommand_from images' -l help
complete -c berth -n '__fish_seen_subcommand_from images' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from images' -l quiet
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a inspect -d 'Display detailed information on one or more images'
complete -c berth -n '__fish_seen_subcommand_from inspect' -l format -r
complete -c berth -n '__fish_seen_subcommand_from inspect' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a tag -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n '__fish_seen_subcommand_from tag' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a tag -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n '__fish_seen_subcommand_from tag' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a rm -d 'Remove one or more images'
complete -c berth -n '__fish_seen_subcommand_from rm' -l force
complete -c berth -n '__fish_seen_subcommand_from rm' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a remove -d 'Remove one or more images'
complete -c berth -n '__fish_seen_subcommand_from remove' -l force
complete -c berth -n '__fish_seen_subcommand_from remove' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a rmi -d 'Remove one or more images'
complete -c berth -n '__fish_seen_subcommand_from rmi' -l force
complete -c berth -n '__fish_seen_subcommand_from rmi' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a prune -d 'Remove unused images'
complete -c berth -n '__fish_seen_subcommand_from prune' -l all
complete -c berth -n '__fish_seen_subcommand_from prune' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from prune' -l force
complete -c berth -n '__fish_seen_subcommand_from prune' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a exists -d 'Check if an image exists in local storage (exit 0 if it does, 1 if not)'
complete -c berth -n '__fish_seen_subcommand_from exists' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a login -d 'Log in to a container registry'
complete -c berth -n '__fish_seen_subcommand_from login' -l authfile -r
complete -c berth -n '__fish_seen_subcommand_from login' -l help
complete -c berth -n '__fish_seen_subcommand_from login' -l password -r
complete -c berth -n '__fish_seen_subcommand_from login' -l password-stdin
complete -c berth -n '__fish_seen_subcommand_from login' -l tls-verify
complete -c berth -n '__fish_seen_subcommand_from login' -l username -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a logout -d 'Log out of a container registry'
complete -c berth -n '__fish_seen_subcommand_from logout' -l all
complete -c berth -n '__fish_seen_subcommand_from logout' -l authfile -r
complete -c berth -n '__fish_seen_subcommand_from logout' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a run -d 'Run a command in a new container'
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
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a run -d 'Run a command in a new container'
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
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a create -d 'Create a new container'
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
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a create -d 'Create a new container'
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
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a start -d 'Start one or more stopped containers'
complete -c berth -n '__fish_seen_subcommand_from start' -l attach
complete -c berth -n '__fish_seen_subcommand_from start' -l detach-keys -r
complete -c berth -n '__fish_seen_subcommand_from start' -l help
complete -c berth -n '__fish_seen_subcommand_from start' -l interactive
complete -c berth -n '__fish_seen_subcommand_from start' -l sig-proxy
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a start -d 'Start one or more stopped containers'
complete -c berth -n '__fish_seen_subcommand_from start' -l attach
complete -c berth -n '__fish_seen_subcommand_from start' -l detach-keys -r
complete -c berth -n '__fish_seen_subcommand_from start' -l help
complete -c berth -n '__fish_seen_subcommand_from start' -l interactive
complete -c berth -n '__fish_seen_subcommand_from start' -l sig-proxy
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a stop -d 'Stop one or more running containers'
complete -c berth -n '__fish_seen_subcommand_from stop' -l help
complete -c berth -n '__fish_seen_subcommand_from stop' -l time -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a stop -d 'Stop one or more running containers'
complete -c berth -n '__fish_seen_subcommand_from stop' -l help
complete -c berth -n '__fish_seen_subcommand_from stop' -l time -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a restart -d 'Restart one or more containers'
complete -c berth -n '__fish_seen_subcommand_from restart' -l help
complete -c berth -n '__fish_seen_subcommand_from restart' -l time -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a restart -d 'Restart one or more containers'
complete -c berth -n '__fish_seen_subcommand_from restart' -l help
complete -c berth -n '__fish_seen_subcommand_from restart' -l time -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a kill -d 'Kill one or more running containers'
complete -c berth -n '__fish_seen_subcommand_from kill' -l help
complete -c berth -n '__fish_seen_subcommand_from kill' -l signal -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a kill -d 'Kill one or more running containers'
complete -c berth -n '__fish_seen_subcommand_from kill' -l help
complete -c berth -n '__fish_seen_subcommand_from kill' -l signal -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a rm -d 'Remove one or more containers'
complete -c berth -n '__fish_seen_subcommand_from rm' -l force
complete -c berth -n '__fish_seen_subcommand_from rm' -l help
complete -c berth -n '__fish_seen_subcommand_from rm' -l volumes
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a remove -d 'Remove one or more containers'
complete -c berth -n '__fish_seen_subcommand_from remove' -l force
complete -c berth -n '__fish_seen_subcommand_from remove' -l help
complete -c berth -n '__fish_seen_subcommand_from remove' -l volumes
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a rm -d 'Remove one or more containers'
complete -c berth -n '__fish_seen_subcommand_from rm' -l force
complete -c berth -n '__fish_seen_subcommand_from rm' -l help
complete -c berth -n '__fish_seen_subcommand_from rm' -l volumes
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a ls -d 'List containers'
complete -c berth -n '__fish_seen_subcommand_from ls' -l all
complete -c berth -n '__fish_seen_subcommand_from ls' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l help
complete -c berth -n '__fish_seen_subcommand_from ls' -l last -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l latest
complete -c berth -n '__fish_seen_subcommand_from ls' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from ls' -l quiet
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a list -d 'List containers'
complete -c berth -n '__fish_seen_subcommand_from list' -l all
complete -c berth -n '__fish_seen_subcommand_from list' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from list' -l format -r
complete -c berth -n '__fish_seen_subcommand_from list' -l help
complete -c berth -n '__fish_seen_subcommand_from list' -l last -r
complete -c berth -n '__fish_seen_subcommand_from list' -l latest
complete -c berth -n '__fish_seen_subcommand_from list' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from list' -l quiet
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a ps -d 'List containers'
complete -c berth -n '__fish_seen_subcommand_from ps' -l all
complete -c berth -n '__fish_seen_subcommand_from ps' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l help
complete -c berth -n '__fish_seen_subcommand_from ps' -l last -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l latest
complete -c berth -n '__fish_seen_subcommand_from ps' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from ps' -l quiet
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a ps -d 'List containers'
complete -c berth -n '__fish_seen_subcommand_from ps' -l all
complete -c berth -n '__fish_seen_subcommand_from ps' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l help
complete -c berth -n '__fish_seen_subcommand_from ps' -l last -r
complete -c berth -n '__fish_seen_subcommand_from ps' -l latest
complete -c berth -n '__fish_seen_subcommand_from ps' -l no-trunc
complete -c berth -n '__fish_seen_subcommand_from ps' -l quiet
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a inspect -d 'Display detailed information on one or more containers'
complete -c berth -n '__fish_seen_subcommand_from inspect' -l format -r
complete -c berth -n '__fish_seen_subcommand_from inspect' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a wait -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n '__fish_seen_subcommand_from wait' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a wait -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n '__fish_seen_subcommand_from wait' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a logs -d 'Fetch the logs of a container'
complete -c berth -n '__fish_seen_subcommand_from logs' -l follow
complete -c berth -n '__fish_seen_subcommand_from logs' -l help
complete -c berth -n '__fish_seen_subcommand_from logs' -l since -r
complete -c berth -n '__fish_seen_subcommand_from logs' -l tail -r
complete -c berth -n '__fish_seen_subcommand_from logs' -l timestamps
complete -c berth -n '__fish_seen_subcommand_from logs' -l until -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a logs -d 'Fetch the logs of a container'
complete -c berth -n '__fish_seen_subcommand_from logs' -l follow
complete -c berth -n '__fish_seen_subcommand_from logs' -l help
complete -c berth -n '__fish_seen_subcommand_from logs' -l since -r
complete -c berth -n '__fish_seen_subcommand_from logs' -l tail -r
complete -c berth -n '__fish_seen_subcommand_from logs' -l timestamps
complete -c berth -n '__fish_seen_subcommand_from logs' -l until -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a exec -d 'Execute a command in a running container'
complete -c berth -n '__fish_seen_subcommand_from exec' -l detach
complete -c berth -n '__fish_seen_subcommand_from exec' -l env -r
complete -c berth -n '__fish_seen_subcommand_from exec' -l env-file -r
complete -c berth -n '__fish_seen_subcommand_from exec' -l help
complete -c berth -n '__fish_seen_subcommand_from exec' -l interactive
complete -c berth -n '__fish_seen_subcommand_from exec' -l tty
complete -c berth -n '__fish_seen_subcommand_from exec' -l user -r
complete -c berth -n '__fish_seen_subcommand_from exec' -l workdir -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a exec -d 'Execute a command in a running container'
complete -c berth -n '__fish_seen_subcommand_from exec' -l detach
complete -c berth -n '__fish_seen_subcommand_from exec' -l env -r
complete -c berth -n '__fish_seen_subcommand_from exec' -l env-file -r
complete -c berth -n '__fish_seen_subcommand_from exec' -l help
complete -c berth -n '__fish_seen_subcommand_from exec' -l interactive
complete -c berth -n '__fish_seen_subcommand_from exec' -l tty
complete -c berth -n '__fish_seen_subcommand_from exec' -l user -r
complete -c berth -n '__fish_seen_subcommand_from exec' -l workdir -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a attach -d 'Attach local standard input, output, and error streams to a running container'
complete -c berth -n '__fish_seen_subcommand_from attach' -l detach-keys -r
complete -c berth -n '__fish_seen_subcommand_from attach' -l help
complete -c berth -n '__fish_seen_subcommand_from attach' -l no-stdin
complete -c berth -n '__fish_seen_subcommand_from attach' -l sig-proxy
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a attach -d 'Attach local standard input, output, and error streams to a running container'
complete -c berth -n '__fish_seen_subcommand_from attach' -l detach-keys -r
complete -c berth -n '__fish_seen_subcommand_from attach' -l help
complete -c berth -n '__fish_seen_subcommand_from attach' -l no-stdin
complete -c berth -n '__fish_seen_subcommand_from attach' -l sig-proxy
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a top -d 'Display the running processes of a container'
complete -c berth -n '__fish_seen_subcommand_from top' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a top -d 'Display the running processes of a container'
complete -c berth -n '__fish_seen_subcommand_from top' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a rename -d 'Rename a container'
complete -c berth -n '__fish_seen_subcommand_from rename' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a rename -d 'Rename a container'
complete -c berth -n '__fish_seen_subcommand_from rename' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a pause -d 'Pause all processes within one or more containers'
complete -c berth -n '__fish_seen_subcommand_from pause' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a pause -d 'Pause all processes within one or more containers'
complete -c berth -n '__fish_seen_subcommand_from pause' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a unpause -d 'Unpause all processes within one or more containers'
complete -c berth -n '__fish_seen_subcommand_from unpause' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a unpause -d 'Unpause all processes within one or more containers'
complete -c berth -n '__fish_seen_subcommand_from unpause' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a prune -d 'Remove all stopped containers'
complete -c berth -n '__fish_seen_subcommand_from prune' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from prune' -l force
complete -c berth -n '__fish_seen_subcommand_from prune' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a exists -d 'Check if a container exists in local storage (exit 0 if it does, 1 if not)'
complete -c berth -n '__fish_seen_subcommand_from exists' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a port -d 'List port mappings or a specific mapping for the container'
complete -c berth -n '__fish_seen_subcommand_from port' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a port -d 'List port mappings or a specific mapping for the container'
complete -c berth -n '__fish_seen_subcommand_from port' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a cp -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n '__fish_seen_subcommand_from cp' -l archive
complete -c berth -n '__fish_seen_subcommand_from cp' -l follow-link
complete -c berth -n '__fish_seen_subcommand_from cp' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a cp -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n '__fish_seen_subcommand_from cp' -l archive
complete -c berth -n '__fish_seen_subcommand_from cp' -l follow-link
complete -c berth -n '__fish_seen_subcommand_from cp' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a diff -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n '__fish_seen_subcommand_from diff' -l format -r
complete -c berth -n '__fish_seen_subcommand_from diff' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a diff -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n '__fish_seen_subcommand_from diff' -l format -r
complete -c berth -n '__fish_seen_subcommand_from diff' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a commit -d 'Create a new image from a container\'s changes'
complete -c berth -n '__fish_seen_subcommand_from commit' -l author -r
complete -c berth -n '__fish_seen_subcommand_from commit' -l change -r
complete -c berth -n '__fish_seen_subcommand_from commit' -l help
complete -c berth -n '__fish_seen_subcommand_from commit' -l message -r
complete -c berth -n '__fish_seen_subcommand_from commit' -l pause
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a commit -d 'Create a new image from a container\'s changes'
complete -c berth -n '__fish_seen_subcommand_from commit' -l author -r
complete -c berth -n '__fish_seen_subcommand_from commit' -l change -r
complete -c berth -n '__fish_seen_subcommand_from commit' -l help
complete -c berth -n '__fish_seen_subcommand_from commit' -l message -r
complete -c berth -n '__fish_seen_subcommand_from commit' -l pause
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a export -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n '__fish_seen_subcommand_from export' -l help
complete -c berth -n '__fish_seen_subcommand_from export' -l output -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a export -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n '__fish_seen_subcommand_from export' -l help
complete -c berth -n '__fish_seen_subcommand_from export' -l output -r
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a mount -d 'Mount a container\'s root filesystem and print its path (use it inside `berth unshare`)'
complete -c berth -n '__fish_seen_subcommand_from mount' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a mount -d 'Mount a container\'s root filesystem and print its path (use it inside `berth unshare`)'
complete -c berth -n '__fish_seen_subcommand_from mount' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a unmount -d 'Unmount a container\'s root filesystem mounted with `berth mount`'
complete -c berth -n '__fish_seen_subcommand_from unmount' -l force
complete -c berth -n '__fish_seen_subcommand_from unmount' -l help
complete -c berth -n '__fish_seen_subcommand_from container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps inspect wait logs exec attach top rename pause unpause prune exists port cp diff commit export mount unmount umount' -a umount -d 'Unmount a container\'s root filesystem mounted with `berth mount`'
complete -c berth -n '__fish_seen_subcommand_from umount' -l force
complete -c berth -n '__fish_seen_subcommand_from umount' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a unmount -d 'Unmount a container\'s root filesystem mounted with `berth mount`'
complete -c berth -n '__fish_seen_subcommand_from unmount' -l force
complete -c berth -n '__fish_seen_subcommand_from unmount' -l help
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a umount -d 'Unmount a container\'s root filesystem mounted with `berth mount`'
complete -c berth -n '__fish_seen_subcommand_from umount' -l force
complete -c berth -n '__fish_seen_subcommand_from umount' -l help
complete -c berth -n '__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from pull ls list inspect tag rm remove prune exists import' -a import -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n '__fish_seen_subcommand_from import' -l change -r
complete -c berth -n '__fish_seen_subcommand_from import' -l help
complete -c berth -n '__fish_seen_subcommand_from import' -l message -r
complete -c berth -n 'not __fish_seen_subcommand_from container image system volume info inspect unshare version pull images tag rmi login logout run create start stop restart kill rm ps wait logs exec attach top rename pause unpause port cp diff commit export mount unmount umount import' -a import -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n '__fish_seen_subcommand_from import' -l change -r
complete -c berth -n '__fish_seen_subcommand_from import' -l help
complete -c berth -n '__fish_seen_subcommand_from import' -l message -r
complete -c berth -n '__fish_seen_subcommand_from volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists' -a create -d 'Create a volume'
complete -c berth -n '__fish_seen_subcommand_from create' -l driver -r
complete -c berth -n '__fish_seen_subcommand_from create' -l help
complete -c berth -n '__fish_seen_subcommand_from create' -l label -r
complete -c berth -n '__fish_seen_subcommand_from create' -l opt -r
complete -c berth -n '__fish_seen_subcommand_from volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists' -a ls -d 'List volumes'
complete -c berth -n '__fish_seen_subcommand_from ls' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l format -r
complete -c berth -n '__fish_seen_subcommand_from ls' -l help
complete -c berth -n '__fish_seen_subcommand_from ls' -l quiet
complete -c berth -n '__fish_seen_subcommand_from volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists' -a list -d 'List volumes'
complete -c berth -n '__fish_seen_subcommand_from list' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from list' -l format -r
complete -c berth -n '__fish_seen_subcommand_from list' -l help
complete -c berth -n '__fish_seen_subcommand_from list' -l quiet
complete -c berth -n '__fish_seen_subcommand_from volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists' -a inspect -d 'Display detailed information on one or more volumes'
complete -c berth -n '__fish_seen_subcommand_from inspect' -l format -r
complete -c berth -n '__fish_seen_subcommand_from inspect' -l help
complete -c berth -n '__fish_seen_subcommand_from volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists' -a rm -d 'Remove one or more volumes'
complete -c berth -n '__fish_seen_subcommand_from rm' -l force
complete -c berth -n '__fish_seen_subcommand_from rm' -l help
complete -c berth -n '__fish_seen_subcommand_from volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists' -a remove -d 'Remove one or more volumes'
complete -c berth -n '__fish_seen_subcommand_from remove' -l force
complete -c berth -n '__fish_seen_subcommand_from remove' -l help
complete -c berth -n '__fish_seen_subcommand_from volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists' -a prune -d 'Remove unused local volumes'
complete -c berth -n '__fish_seen_subcommand_from prune' -l all
complete -c berth -n '__fish_seen_subcommand_from prune' -l filter -r
complete -c berth -n '__fish_seen_subcommand_from prune' -l force
complete -c berth -n '__fish_seen_subcommand_from prune' -l help
complete -c berth -n '__fish_seen_subcommand_from volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists' -a exists -d 'Check if a volume exists (exit 0 if it does, 1 if not)'
complete -c berth -n '__fish_seen_subcommand_from exists' -l help
