// nf-core-style module: a score column (probability of target) for each site row (tfm-score).
process TFM_SCORE {
    tag "${meta.id}"
    label 'process_high'

    conda "${moduleDir}/environment.yml"
    container "tfm:0.2.0"   // packaging/Dockerfile; Bioconda's biocontainer once the recipe is in

    input:
    tuple val(meta), path(sites)
    path model

    output:
    tuple val(meta), path("*.scores.tsv.gz"), emit: scores
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    tfm-score -v -t ${task.cpus} --model ${model} ${args} -o ${prefix}.scores.tsv.gz ${sites}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-score: \$(tfm-score --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    echo | gzip > ${prefix}.scores.tsv.gz
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        tfm-score: \$(tfm-score --version | head -n 1 | cut -d ' ' -f 2)
    END_VERSIONS
    """
}
