#!/usr/bin/env bash
# Attaches the chat buttons a deployed stack defines (its ChatCustomActionArns output) to the chat channels its
# ChatChannelArns parameter names, with the aws CLI (chatbot associate-to-configuration). Safe to run again:
# a button already attached to a channel is left as it is. CloudFormation cannot attach them itself, since the
# channel configurations belong to another stack or to the console; a channel defined in CloudFormation can list
# the buttons in its CustomizationResourceArns instead.
#
# Usage: scripts/attach-chat-buttons.sh STACK_NAME   (the stack's region and credentials from the usual AWS
# environment; the chatbot API answers in the regions Amazon Q Developer in chat applications runs in)
set -euo pipefail
stack="${1:-}"
if [[ -z "$stack" || $# -ne 1 ]]; then
  echo "usage: scripts/attach-chat-buttons.sh STACK_NAME" >&2
  exit 2
fi

read_stack() { # $1: JMESPath over Stacks[0]
  aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].$1" --output text
}

actions="$(read_stack "Outputs[?OutputKey=='ChatCustomActionArns'].OutputValue | [0]")"
channels="$(read_stack "Parameters[?ParameterKey=='ChatChannelArns'].ParameterValue | [0]")"
if [[ -z "$actions" || "$actions" == "None" || -z "$channels" || "$channels" == "None" ]]; then
  echo "attach-chat-buttons: stack $stack defines no chat buttons (its ChatChannelArns parameter is empty)" >&2
  exit 2
fi

IFS=',' read -r -a action_list <<< "$actions"
IFS=',' read -r -a channel_list <<< "$channels"
for channel in "${channel_list[@]}"; do
  attached="$(aws chatbot list-associations --chat-configuration "$channel" --query 'Associations[].Resource' --output text)"
  for action in "${action_list[@]}"; do
    if [[ " ${attached//$'\t'/ } " == *" $action "* ]]; then
      echo "already attached: $action to $channel"
    else
      aws chatbot associate-to-configuration --resource "$action" --chat-configuration "$channel" > /dev/null
      echo "attached: $action to $channel"
    fi
  done
done
