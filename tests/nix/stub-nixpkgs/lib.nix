# The few nixpkgs lib functions nix/*.nix use, with nixpkgs' meaning.
rec {
  hasPrefix = pref: str: builtins.substring 0 (builtins.stringLength pref) str == pref;
  # nixpkgs' cleanSourceWith: a filtered copy of a directory in the store.
  cleanSourceWith = { src, filter ? (_: _: true), name ? "source" }:
    builtins.path { path = src; inherit name filter; };
  platforms.linux = [ "x86_64-linux" "aarch64-linux" ];
}
