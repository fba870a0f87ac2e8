#!/bin/sh
# Builds a VM with one 64 MB VDI, runs it, pauses and resumes it, takes and deletes a live snapshot, and
# powers it off. Plain VBoxManage syntax: runs against a real VirtualBox, or against the test double when
# packages/virtualbox/test-double/bin comes first in PATH (with VRS_VBOX_DOUBLE_HOME set).
#
#   sh build-vm.sh [vm-name] [disk-directory]
set -eu
VM="${1:-vrs-demo}"
DISKS="${2:-$PWD/$VM-disks}"
mkdir -p "$DISKS"

VBoxManage createmedium disk --filename "$DISKS/$VM.vdi" --size 64 --format VDI
VBoxManage createvm --name "$VM" --ostype Ubuntu_64 --register
VBoxManage storagectl "$VM" --name SATA --add sata --controller IntelAhci --portcount 1
VBoxManage storageattach "$VM" --storagectl SATA --port 0 --device 0 --type hdd --medium "$DISKS/$VM.vdi"
VBoxManage startvm "$VM" --type headless
VBoxManage controlvm "$VM" pause
VBoxManage controlvm "$VM" resume
VBoxManage snapshot "$VM" take vrs-transient --live
VBoxManage snapshot "$VM" delete vrs-transient
VBoxManage controlvm "$VM" poweroff
