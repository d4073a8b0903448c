#!/bin/sh
# meson install step: copy the default tree (build/guest/rootfs) to
# DATADIR/vmscope/rootfs as it is, with cp -a: its directory symlinks
# (usr/bin -> ../bin) and modes (/tmp 1777) are what `vmscope mkdisk` puts
# on the disk, and meson's own copy of a directory follows symlinks and
# drops the sticky bit. Usage: install_tree.sh TREE DATADIR (DATADIR relative
# to the prefix; MESON_INSTALL_DESTDIR_PREFIX is set by meson install).
set -e
tree=$1
dest="${MESON_INSTALL_DESTDIR_PREFIX:?run by meson install}/$2/rootfs"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -a "$tree" "$dest"
echo "Installing $tree to $dest"
