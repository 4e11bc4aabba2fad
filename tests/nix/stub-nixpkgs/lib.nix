# The few nixpkgs lib functions nix/*.nix use, with nixpkgs' meaning.
rec {
  hasPrefix = pref: str: builtins.substring 0 (builtins.stringLength pref) str == pref;
  hasSuffix = suf: str:
    let ls = builtins.stringLength str; lf = builtins.stringLength suf;
    in lf <= ls && builtins.substring (ls - lf) lf str == suf;
  removeSuffix = suf: str:
    if hasSuffix suf str
    then builtins.substring 0 (builtins.stringLength str - builtins.stringLength suf) str
    else str;
  # A file's text without its one trailing newline.
  fileContents = file: removeSuffix "\n" (builtins.readFile file);
  # nixpkgs' cleanSourceWith: a filtered copy of a directory in the store.
  cleanSourceWith = { src, filter ? (_: _: true), name ? "source" }:
    builtins.path { path = src; inherit name filter; };
  platforms.linux = [ "x86_64-linux" "aarch64-linux" ];
}
