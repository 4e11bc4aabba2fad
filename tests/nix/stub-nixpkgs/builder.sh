# Builder of the stub's mkDerivation: unpack, then the phases, each traced (set -x) so the
# log shows the exact commands.
set -eu
runHook() { :; }
echo "stub-stdenv: unpacking $src"
cp -R "$src" source
chmod -R u+w source
cd source
echo "stub-stdenv: buildPhase"
set -x
eval "$buildPhase"
set +x
if [ -n "$doCheck" ]; then
  echo "stub-stdenv: checkPhase"
  set -x
  eval "$checkPhase"
  set +x
fi
echo "stub-stdenv: installPhase"
set -x
eval "$installPhase"
