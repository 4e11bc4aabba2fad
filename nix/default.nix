# For users without flakes:  nix-build nix/    (result/bin/ holds the tools)
# nixpkgs is pinned to the same nixos-24.11 commit as flake.lock; pass another package set
# with  --arg pkgs 'import <nixpkgs> {}'.
# The tarball hash was not fetched on the machine that wrote this (no network there):
# it is the NAR hash recorded for that commit in flake.lock, in base-32.
{ pkgs ? import (builtins.fetchTarball {
    name = "nixpkgs-nixos-24.11-50ab793";
    url = "https://github.com/NixOS/nixpkgs/archive/50ab793786d9de88ee30ec4e4c24fb4236fc2674.tar.gz";
    sha256 = "1s2gr5rcyqvpr58vxdcb095mdhblij9bfzaximrva2243aal3dgx";
  }) { }
}:

pkgs.callPackage ./package.nix { }
