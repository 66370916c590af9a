// nf-core-style module: model input of each site row as a text column (optional: tfm-score encodes itself).
// ext.args must give the scheme, e.g. "--scheme targetnet".
process TFM_ENCODE {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "tfm:0.2.0"   // packaging/Dockerfile; Bioconda's biocontainer once the recipe is in

    input:
    tuple val(meta), path(sites)

    output:
    tuple val(meta), path("*.enc.tsv.gz"), emit: encoded
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    tfm-encode ${args} -o ${prefix}.enc.tsv.gz ${sites}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-encode: \$(tfm-encode --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    echo | gzip > ${prefix}.enc.tsv.gz
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-encode: \$(tfm-encode --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """
}
