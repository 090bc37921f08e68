# bash completion for vibeml                                    -*- shell-script -*-
# Installed as share/bash-completion/completions/vibeml. Works without the bash-completion
# helpers too, so it can be sourced directly (and tested that way).

# Setting names and their allowed values come from `vibeml config --help`, which answers
# without starting any service, so completion never goes stale as settings are added.
_vibeml_config_help()
{
    "${COMP_WORDS[0]}" config --help 2>/dev/null
}

_vibeml_setting_names()
{
    _vibeml_config_help | awk '/^  [a-z-]+\.[a-z.-]+ /{ print $1 }'
}

_vibeml_setting_values()
{
    _vibeml_config_help | awk -v key="$1" '$1 == key && /one of / {
        sub(/.*one of /, ""); gsub(/,/, ""); print; exit }'
}

_vibeml()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    # The command and its subcommand are the first two words that are not --debug.
    local -a words=()
    local i
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == --debug ]] || words+=("${COMP_WORDS[i]}")
    done
    local command=${words[0]-} subcommand=${words[1]-}

    local commands="config validate-model validate-dataset estimate gpus launch-training jobs monitor mcp help"
    local plan_options="--model --revision --dataset --config --split --method --gpu --nodes --region
        --spot --no-spot --epochs --max-steps --learning-rate --batch-size --grad-accum --lora-r
        --max-seq-length --max-runtime --json"

    # Values of options, wherever they appear.
    case $prev in
        --method)
            mapfile -t COMPREPLY < <(compgen -W "lora qlora4 qlora8 full full-bf16" -- "$cur")
            return ;;
        --format)
            mapfile -t COMPREPLY < <(compgen -W "chat instruction prompt-completion text" -- "$cur")
            return ;;
        --model | --dataset | --revision | --config | --split | --column | --gpu | --nodes | --region | \
            --cloud | --epochs | --max-steps | --learning-rate | --batch-size | --grad-accum | --lora-r | \
            --max-seq-length | --max-runtime | --max-cost | --output-repo)
            return ;; # free text: nothing sensible to offer
    esac

    local candidates=
    case $command in
        "")
            candidates="$commands --help --version --debug --mcp" ;;
        help)
            [[ -z $subcommand ]] && candidates=$commands ;;
        config)
            case $subcommand in
                "") candidates="show set reset set-token delete-token set-budget show-spending verify-credentials --help" ;;
                show) candidates="--json" ;;
                show-spending) candidates="--history" ;;
                set-token | delete-token) ((${#words[@]} == 2)) && candidates="hf wandb" ;;
                set-budget) ((${#words[@]} == 2)) && candidates="monthly per-job" ;;
                reset) ((${#words[@]} == 2)) && candidates=$(_vibeml_setting_names) ;;
                set)
                    if ((${#words[@]} == 2)); then
                        candidates=$(_vibeml_setting_names)
                    elif ((${#words[@]} == 3)); then
                        candidates=$(_vibeml_setting_values "${words[2]}")
                    fi ;;
            esac ;;
        validate-model)
            candidates="--revision --json --help" ;;
        validate-dataset)
            candidates="--revision --config --split --format --column --json --help" ;;
        estimate)
            candidates="$plan_options --all --help" ;;
        gpus)
            candidates="--cloud --gpu --region --json --help" ;;
        launch-training)
            candidates="$plan_options --max-cost --output-repo --dry-run --yes --help" ;;
        jobs)
            case $subcommand in
                "") candidates="list status logs cancel down keep orphans recover-journal --help" ;;
                logs) candidates="--follow" ;;
                down) candidates="--purge" ;;
            esac ;;
        monitor)
            candidates="--until-idle --help" ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$candidates" -- "$cur")
}

complete -F _vibeml vibeml
