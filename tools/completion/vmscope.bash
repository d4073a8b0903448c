# bash completion for vmscope, vmtrace and vmviz (installed once per name in
# DATADIR/bash-completion/completions, where bash-completion looks).
#
# The commands and options come from the programs' own --help, read when
# first needed, so completion never lists an option the program lacks.

# The long options (and -o) that "$@" --help prints, one per line.
_vmscope_help_opts()
{
    "$@" --help 2>/dev/null | grep -oE -- '(^|[][ (|,])--?[a-zA-Z][a-zA-Z0-9-]*' |
        sed -E 's/^[][ (|,]//' | sort -u
}

# The subcommands that "$1" --help lists: indented words at a line's start
# (not the program's own name, which starts its usage lines).
_vmscope_help_cmds()
{
    "$1" --help 2>/dev/null | sed -nE 's/^  ([a-z][a-z0-9-]*)( |$).*/\1/p' | grep -vx "${1##*/}"
}

# Options that take a FILE or DIR argument: complete paths after them.
_vmscope_path_arg()
{
    case $1 in
    --disk|--trace|--module|--serial|--debugcon|--input-file|--symbols|--from|\
    --csv|--json|--svg|--snapshot|--ready|--collect|-o|--output) return 0 ;;
    esac
    return 1
}

_vmscope_complete()     # _vmscope_complete PROGRAM WITH-SUBCOMMANDS
{
    local prog=$1 subs=$2 cur prev words cword
    _init_completion -n = || return
    local cmd= i
    if [[ $subs == 1 ]]; then
        for ((i = 1; i < cword; i++)); do
            [[ ${words[i]} != -* ]] && { cmd=${words[i]}; break; }
        done
        if [[ -z $cmd ]]; then
            COMPREPLY=($(compgen -W "$(_vmscope_help_cmds "${words[0]}") --help --version" -- "$cur"))
            return
        fi
    fi
    if _vmscope_path_arg "$prev"; then
        _filedir
        return
    fi
    if [[ $cur == -* ]]; then
        local opts
        if [[ -n $cmd ]]; then
            opts=$(_vmscope_help_opts "${words[0]}" "$cmd")
        else
            opts=$(_vmscope_help_opts "${words[0]}")
        fi
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi
    case $prog in
    vmscope) [[ $cmd == run ]] && _filedir '@(elf|bin)' || _filedir ;;
    *) _filedir vmt ;;
    esac
}

_vmscope() { _vmscope_complete vmscope 1; }
_vmtrace() { _vmscope_complete vmtrace 1; }
_vmviz() { _vmscope_complete vmviz 0; }
complete -F _vmscope vmscope
complete -F _vmtrace vmtrace
complete -F _vmviz vmviz
